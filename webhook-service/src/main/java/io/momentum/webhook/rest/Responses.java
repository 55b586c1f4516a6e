package io.momentum.webhook.rest;

import io.momentum.webhook.domain.Outcome;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** JSON answers in one shape: errors are {@code {"error": "..."}}. */
final class Responses {

    private Responses() {
    }

    static Response of(Outcome outcome) {
        Response.ResponseBuilder builder = Response.status(outcome.status()).type(MediaType.APPLICATION_JSON)
                .entity(outcome.body());
        if (outcome.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"momentum\"");
        }
        return builder.build();
    }

    static Response unauthorized(String message) {
        return of(Outcome.error(401, message));
    }

    static Response error(int status, String message) {
        return of(Outcome.error(status, message));
    }
}
