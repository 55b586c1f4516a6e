package io.momentum.notifier.commitstatus.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.notifier.commitstatus.domain.SentLedger;
import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.momentum.notifier.commitstatus.host.HostTargets.CannotPostException;
import io.momentum.shared.event.NotificationSent.Outcome;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Posts statuses asynchronously: nothing waits for a git host. A 5xx, a 429, a timeout or a connection error is
 * retried with exponential backoff; a 4xx, or a status that cannot be posted as configured, is given up at once.
 * Later statuses of the same context on the same commit wait for earlier ones, so a slow pending can never land
 * after the final status. Counted like the notifier's sinks, with the sink tag {@code commit-status/<provider>}:
 * {@code momentum.notifications.sent}, {@code .retried} and {@code .dropped} (reason {@code gave-up}). Logs never
 * carry a token: calls print as their method and URL only.
 */
public final class CommitStatusSender {

    private static final Logger LOG = Logger.getLogger(CommitStatusSender.class);
    private static final int LOGGED_BODY = 200;

    /** How one status ended. */
    public record Delivery(Outcome outcome, int attempts, String error) {
    }

    public record Retry(int attempts, Duration initialBackoff, Duration maxBackoff) {
    }

    private final HttpClient http;
    private final Function<StatusUpdate, HostCall> calls;
    private final Retry retry;
    private final Duration timeout;
    private final MeterRegistry meters;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, CompletableFuture<Delivery>> tails = new HashMap<>();

    public CommitStatusSender(HttpClient http, Function<StatusUpdate, HostCall> calls, Retry retry, Duration timeout,
            MeterRegistry meters) {
        this.http = http;
        this.calls = calls;
        this.retry = retry;
        this.timeout = timeout;
        this.meters = meters;
    }

    /** Posts the status after the earlier ones of its context; the future never fails. */
    public CompletableFuture<Delivery> send(StatusUpdate update) {
        String key = update.statusKey();
        synchronized (tails) {
            CompletableFuture<Delivery> previous = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
            CompletableFuture<Delivery> next = previous.thenCompose(ignored -> attempt(update, 1));
            tails.put(key, next);
            next.whenComplete((delivery, error) -> {
                synchronized (tails) {
                    tails.remove(key, next);
                }
            });
            return next;
        }
    }

    private CompletableFuture<Delivery> attempt(StatusUpdate update, int attempt) {
        HttpRequest request;
        try {
            HostCall call = calls.apply(update);
            HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri()).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(call.body())));
            call.headers().forEach(builder::header);
            request = builder.build();
        } catch (CannotPostException | JsonProcessingException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(giveUp(update, attempt - 1, e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error == null && response.statusCode() / 100 == 2) {
                        meters.counter("momentum.notifications.sent", "sink", sink(update)).increment();
                        LOG.debugf("%s %s on %s: %s", update.context(), update.state(), update.commit(),
                                response.statusCode());
                        return CompletableFuture.completedFuture(new Delivery(Outcome.DELIVERED, attempt, null));
                    }
                    String problem = error != null ? error.getClass().getSimpleName()
                            : response.statusCode() + " " + shorten(response.body());
                    boolean retryable = error != null || response.statusCode() >= 500
                            || response.statusCode() == 429;
                    if (!retryable || attempt >= retry.attempts()) {
                        return CompletableFuture.completedFuture(giveUp(update, attempt, problem));
                    }
                    meters.counter("momentum.notifications.retried", "sink", sink(update)).increment();
                    Duration backoff = backoff(attempt);
                    LOG.infof("%s status of %s (%s): %s; retrying in %s", update.provider().id(), update.commit(),
                            update.context(), problem, backoff);
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> attempt(update, attempt + 1));
                })
                .thenCompose(Function.identity());
    }

    private Delivery giveUp(StatusUpdate update, int attempts, String problem) {
        meters.counter("momentum.notifications.dropped", "sink", sink(update), "reason", "gave-up").increment();
        LOG.warnf("giving up the %s status %s of %s (%s, %s) after %d call(s): %s", update.provider().id(),
                update.state(), update.commit(), update.repositoryUrl(), update.context(), attempts, problem);
        return new Delivery(Outcome.GAVE_UP, attempts, problem);
    }

    private static String sink(StatusUpdate update) {
        return SentLedger.SINK + "/" + update.provider().id();
    }

    private Duration backoff(int attempt) {
        Duration backoff = retry.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return backoff.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : backoff;
    }

    private static String shorten(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > LOGGED_BODY ? oneLine.substring(0, LOGGED_BODY) + "…" : oneLine;
    }
}
