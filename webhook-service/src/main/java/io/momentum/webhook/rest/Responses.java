package io.momentum.webhook.rest;

import io.momentum.webhook.service.IntakeResult;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** HTTP statuses and JSON answers in one place: errors are {@code {"error": "..."}}. */
final class Responses {

    private Responses() {
    }

    /** The answer to a webhook delivery: 202 only once the broker has the requests. */
    static Response of(IntakeResult result) {
        if (result instanceof IntakeResult.Published p) {
            return json(202, new WebhookAnswer(null, p.requests().get(0).requestId(), p.provider().id(), null, null,
                    null, null, p.requests().stream().map(WebhookAnswer.PublishedRequest::of).toList(),
                    p.skipped().isEmpty() ? null : p.skipped()));
        }
        if (result instanceof IntakeResult.Pong p) {
            return json(200, new WebhookAnswer("pong", null, p.provider().id(), p.detail(), null, null, null, null,
                    null));
        }
        if (result instanceof IntakeResult.Ignored i) {
            return json(200, new WebhookAnswer("ignored", null, i.provider().id(), null, i.reason(), null, null,
                    null, null));
        }
        if (result instanceof IntakeResult.Duplicate d) {
            return json(200, new WebhookAnswer("duplicate", d.requestIds().get(0), null, null, null, d.deliveryId(),
                    d.requestIds(), null, null));
        }
        if (result instanceof IntakeResult.Unverified u) {
            return unauthorized(u.reason());
        }
        if (result instanceof IntakeResult.Invalid i) {
            return error(400, i.reason());
        }
        return error(503, ((IntakeResult.NotStored) result).reason());
    }

    static Response unauthorized(String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON).entity(new ErrorAnswer(message))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"momentum\"").build();
    }

    static Response error(int status, String message) {
        return json(status, new ErrorAnswer(message));
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
