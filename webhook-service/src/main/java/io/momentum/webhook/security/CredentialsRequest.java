package io.momentum.webhook.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * The credentials of one HTTP request, handed from {@link AuthorizationHeaderMechanism} to
 * {@link CallerIdentityProvider}.
 */
public final class CredentialsRequest extends BaseAuthenticationRequest {

    private final Credentials credentials;

    public CredentialsRequest(Credentials credentials) {
        this.credentials = credentials;
    }

    public Credentials credentials() {
        return credentials;
    }
}
