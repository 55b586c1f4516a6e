package io.momentum.webhook.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may deliver webhooks: anyone while no webhook authentication is configured (the caller is then not even
 * authenticated, so a provider's own {@code Authorization} header, Azure DevOps' basic-auth secret, is left to the
 * signature check), else a caller with the {@value CallerRoles#WEBHOOK} role. A role alone cannot say "open unless
 * configured", hence this policy ({@code @AuthorizationPolicy(name = WebhookCallers.NAME)} on the resource).
 */
@ApplicationScoped
public class WebhookCallers implements HttpSecurityPolicy {

    public static final String NAME = "webhook-callers";

    @Inject
    CallerRoles roles;

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (!roles.webhookAuthRequired()) {
            return CheckResult.permit();
        }
        return identity.map(caller -> caller.hasRole(CallerRoles.WEBHOOK) ? CheckResult.PERMIT : CheckResult.DENY);
    }

    @Override
    public String name() {
        return NAME;
    }
}
