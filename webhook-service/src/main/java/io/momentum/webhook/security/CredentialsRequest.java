package io.momentum.webhook.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * The credentials of one HTTP request, handed from {@link BasicAuthMechanism} to
 * {@link CallerIdentityProvider}.
 */
public final class CredentialsRequest extends BaseAuthenticationRequest {

    private final Credentials.Basic credentials;

    public CredentialsRequest(Credentials.Basic credentials) {
        this.credentials = credentials;
    }

    public Credentials.Basic credentials() {
        return credentials;
    }
}
