package io.momentum.health.rest;

import io.momentum.service.security.ApiRefusals;
import io.momentum.service.security.ApiTokens;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A caller the API refuses (no valid bearer token: 401; see service-support's {@link ApiRefusals}) is answered
 * {@code {"error": "..."}} before anything is read. The tokens are read at start-up, so a token file that cannot be
 * read stops the service there, and the log names the tokens and their roles.
 */
@Singleton
public class Refusals {

    @Inject
    ApiTokens tokens;

    @Inject
    CurrentIdentityAssociation identity;

    void readTokens(@Observes StartupEvent event) {
        tokens.isEmpty();
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class,
            ForbiddenException.class})
    Response refused(Exception refusal) {
        return ApiRefusals.response(refusal, tokens, identity);
    }
}
