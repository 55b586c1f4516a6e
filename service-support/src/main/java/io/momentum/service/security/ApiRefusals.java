package io.momentum.service.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What a refused API call is told, the same in every service: 401 without a valid token (or with credentials for
 * something else, so that a caller learns nothing about which secrets exist), 403 for a valid token whose role is
 * not enough, as {@code {"error": "..."}} with {@link #CHALLENGE} on a 401.
 */
public final class ApiRefusals {

    /** The {@code WWW-Authenticate} header of a 401. */
    public static final String CHALLENGE = BearerTokenMechanism.CHALLENGE;

    /** A refusal's status and message. */
    public record Refusal(int status, String error) {
    }

    /** The body of every refusal: {@code {"error": "..."}}. */
    public record Error(String error) {
    }

    private ApiRefusals() {
    }

    /**
     * The JSON answer to a refused API call; what a service's {@code @ServerExceptionMapper} for
     * {@code AuthenticationFailedException}, {@code UnauthorizedException} and {@code ForbiddenException} returns.
     */
    public static Response response(Throwable refusal, ApiTokens tokens, CurrentIdentityAssociation identity) {
        Refusal answer = of(refusal, tokens, refusal instanceof ForbiddenException ? identity.getIdentity() : null);
        Response.ResponseBuilder response = Response.status(answer.status()).type(MediaType.APPLICATION_JSON)
                .entity(new Error(answer.error()));
        return (answer.status() == 401 ? response.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE) : response).build();
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
