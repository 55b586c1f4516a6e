package io.momentum.webhook.rest;

import io.momentum.service.security.ApiRefusals;
import io.momentum.service.security.ApiTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * The answer when Quarkus Security refuses a caller, before any body is read: {@code {"error": "..."}} naming what
 * is missing. On the webhooks always 401; on the API (every other resource) service-support's {@link ApiRefusals}:
 * 401 without a valid token, 403 for a reader token on a call that needs the deployer role. Credentials valid for
 * the other side (a webhook password on the API) are refused as missing, so a caller learns nothing about which
 * secrets exist.
 */
public class Refusals {

    @Inject
    ApiTokens tokens;

    @Inject
    CurrentIdentityAssociation identity;

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class,
            ForbiddenException.class})
    Response refused(Exception refusal, SimpleResourceInfo resource) {
        if (resource != null && resource.getResourceClass() == WebhookResource.class) {
            return Responses.unauthorized("webhook authentication required");
        }
        return ApiRefusals.response(refusal, tokens, identity);
    }
}
