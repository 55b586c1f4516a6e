package io.momentum.webhook.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/** Basic credentials that match the webhook's username and password become a {@value CallerRoles#WEBHOOK}. */
@ApplicationScoped
public class CallerIdentityProvider implements IdentityProvider<CredentialsRequest> {

    @Inject
    CallerRoles roles;

    @Override
    public Class<CredentialsRequest> getRequestType() {
        return CredentialsRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CredentialsRequest request, AuthenticationRequestContext context) {
        Credentials.Basic credentials = request.credentials();
        Set<String> granted = roles.of(credentials);
        if (granted.isEmpty()) {
            return Uni.createFrom().failure(
                    new AuthenticationFailedException("credentials match no configured secret"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(credentials.username()))
                .addRoles(granted).build());
    }
}
