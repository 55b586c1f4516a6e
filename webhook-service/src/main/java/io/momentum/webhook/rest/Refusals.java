package io.momentum.webhook.rest;

import io.momentum.webhook.security.CallerRoles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The answer when Quarkus Security refuses a caller, before any body is read: {@code 401 {"error": "..."}} naming
 * what is missing. Credentials that are valid for the other endpoint (a webhook password on the API) are refused
 * the same way rather than with 403, so that a caller learns nothing about which secrets exist.
 */
public class Refusals {

    @Inject
    CallerRoles roles;

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class,
            ForbiddenException.class})
    Response refused(SimpleResourceInfo resource) {
        if (resource != null && resource.getResourceClass() == DeployApiResource.class) {
            return Responses.unauthorized(roles.apiEnabled() ? "a valid bearer token is required"
                    : "the deploy API is disabled: momentum.api.token is not set");
        }
        return Responses.unauthorized("webhook authentication required");
    }
}
