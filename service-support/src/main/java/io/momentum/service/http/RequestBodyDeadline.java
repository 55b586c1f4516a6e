package io.momentum.service.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Cuts off a request whose body has not arrived in full within {@code momentum.http.body-timeout}: 408 with a JSON
 * error and the connection closed. An idle timeout cannot do this (every trickled byte resets it), and the endpoints
 * only see a body once it is complete, so a slow client would otherwise hold a connection and its buffer for as long
 * as it likes. The answer's own time (a deploy's {@code "wait": true}) is not limited.
 */
@ApplicationScoped
public class RequestBodyDeadline {

    private static final Logger LOG = Logger.getLogger(RequestBodyDeadline.class);

    @Inject
    HttpLimitsConfig limits;

    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        long millis = limits.bodyTimeout().toMillis();
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            HttpServerRequest request = context.request();
            if (!request.isEnded()) {
                long timer = vertx.setTimer(millis, id -> cutOff(request, context.response()));
                context.addEndHandler(done -> vertx.cancelTimer(timer));
            }
            context.next();
        });
    }

    private void cutOff(HttpServerRequest request, HttpServerResponse response) {
        if (request.isEnded()) {
            return;
        }
        LOG.warnf("%s %s from %s: the body did not arrive within %s; connection closed", request.method(),
                request.path(), request.remoteAddress(), limits.bodyTimeout());
        if (!response.headWritten()) {
            response.setStatusCode(408).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                    .end("{\"error\":\"the request body did not arrive within " + limits.bodyTimeout().toSeconds()
                            + " s\"}")
                    .onComplete(sent -> request.connection().close());
        } else {
            request.connection().close();
        }
    }
}
