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
 * The service's one authentication mechanism: reads the {@code Authorization} header (Bearer or Basic) and lets
 * {@link CallerIdentityProvider} turn it into an identity with roles. No header, or another scheme, is an anonymous
 * caller. Authentication is lazy ({@code quarkus.http.auth.proactive=false}): only an endpoint that asks for a role
 * looks at the header, so the open webhooks never judge an Azure DevOps basic-auth signature and {@code /q/*} never
 * refuses a stale header.
 */
@ApplicationScoped
public class AuthorizationHeaderMechanism implements HttpAuthenticationMechanism {

    private static final ChallengeData CHALLENGE =
            new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"momentum\"");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Optional<Credentials> credentials;
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
