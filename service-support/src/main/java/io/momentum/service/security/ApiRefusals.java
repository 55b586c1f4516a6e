package io.momentum.service.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * What a refused API call is told, the same in every service: 401 without a valid token (or with credentials for
 * something else, so that a caller learns nothing about which secrets exist), 403 for a valid token whose role is
 * not enough. Each service's {@code rest/} answers it as {@code {"error": "..."}} with {@link #CHALLENGE}.
 */
public final class ApiRefusals {

    /** The {@code WWW-Authenticate} header of a 401. */
    public static final String CHALLENGE = BearerTokenMechanism.CHALLENGE;

    /** A refusal's status and message. */
    public record Refusal(int status, String error) {
    }

    private ApiRefusals() {
    }

    /**
     * @param refusal what Quarkus Security threw
     * @param caller who called; only read for a {@link ForbiddenException} (authenticated, then)
     */
    public static Refusal of(Throwable refusal, ApiTokens tokens, SecurityIdentity caller) {
        if (!tokens.grants(ApiRoles.READER)) {
            return new Refusal(401, "the API is disabled: no API token is configured (momentum.api.token or"
                    + " momentum.api.tokens.<name>.secret-file)");
        }
        if (refusal instanceof ForbiddenException && caller != null && caller.hasRole(ApiRoles.READER)) {
            return new Refusal(403, "token '" + caller.getPrincipal().getName() + "' may only read: this call needs"
                    + " a token with the " + ApiRoles.DEPLOYER + " role");
        }
        return new Refusal(401, "a valid bearer token is required");
    }
}
