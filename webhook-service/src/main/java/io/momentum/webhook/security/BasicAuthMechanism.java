package io.momentum.webhook.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * The webhooks' optional basic authentication ({@code momentum.webhook.auth.username/password}): reads an
 * {@code Authorization: Basic} header and lets {@link CallerIdentityProvider} check it. Bearer tokens (the API's and
 * the webhook's {@code bearer-token}) are service-support's {@code BearerTokenMechanism}; no header or another
 * scheme is an anonymous caller. Authentication is lazy ({@code quarkus.http.auth.proactive=false}): only an
 * endpoint that asks for a role looks at the header, so the open webhooks never judge an Azure DevOps basic-auth
 * signature and {@code /q/*} never refuses a stale header.
 */
@ApplicationScoped
public class BasicAuthMechanism implements HttpAuthenticationMechanism {

    private static final ChallengeData CHALLENGE =
            new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"momentum\"");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Optional<Credentials.Basic> credentials;
        try {
            credentials = Credentials.parse(context.request().getHeader(HttpHeaderNames.AUTHORIZATION));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException(e.getMessage()));
        }
        if (credentials.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new CredentialsRequest(credentials.get()), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CredentialsRequest.class);
    }
}
