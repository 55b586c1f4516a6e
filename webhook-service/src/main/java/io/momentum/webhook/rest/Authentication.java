package io.momentum.webhook.rest;

import io.momentum.webhook.config.ApiConfig;
import io.momentum.webhook.config.WebhookConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Authentication in one place, before a body is read: the deploy API's bearer token ({@code momentum.api.token};
 * unset refuses every call) and the optional basic or bearer authentication in front of the webhook endpoints
 * ({@code momentum.webhook.auth.*}). Secrets are compared in constant time. Application-scoped so that the
 * configuration is read when the first request arrives, not while the filters are set up.
 */
@ApplicationScoped
public class Authentication {

    @Inject
    ApiConfig api;

    @Inject
    WebhookConfig webhook;

    private HttpAuth apiAuth;
    private HttpAuth webhookAuth;

    @PostConstruct
    void start() {
        apiAuth = HttpAuth.bearer(api.token());
        webhookAuth = new HttpAuth(webhook.auth().username(), webhook.auth().password(),
                webhook.auth().bearerToken());
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, SimpleResourceInfo resource) {
        Optional<String> authorization = Optional.ofNullable(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Class<?> target = resource.getResourceClass();
        if (target == DeployApiResource.class) {
            if (!apiAuth.enabled()) {
                return Optional.of(Responses.unauthorized(
                        "the deploy API is disabled: momentum.api.token is not set"));
            }
            return apiAuth.permits(authorization) ? Optional.empty()
                    : Optional.of(Responses.unauthorized("a valid bearer token is required"));
        }
        if (target == WebhookResource.class && !webhookAuth.permits(authorization)) {
            return Optional.of(Responses.unauthorized("webhook authentication required"));
        }
        return Optional.empty();
    }
}
