package io.momentum.notifier.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.notifier.domain.Notification;
import io.momentum.notifier.domain.RetryPolicy;
import io.momentum.notifier.domain.SinkFilter;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.event.NotificationSent;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Delivers one sink's notifications, one at a time in their order, on a thread of its own so that a slow receiver
 * delays nobody else: a bounded queue ({@link #offer} never blocks: when full the notification is dropped and
 * counted), each call retried by the {@link RetryPolicy}, the outcome counted and recorded
 * ({@code momentum.notifications.sent|retried|dropped}, tag {@code sink}).
 */
public final class SinkWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SinkWorker.class);

    private final String name;
    private final Sink sink;
    private final SinkSettings settings;
    private final SinkFilter filter;
    private final RetryPolicy policy;
    private final Duration timeout;
    private final HttpClient http;
    private final MeterRegistry meters;
    private final Consumer<NotificationSent> recorder;
    private final Clock clock;
    private final BlockingQueue<Notification> queue;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param recorder called with the outcome of every notification (delivered, given up, dropped)
     */
    public SinkWorker(Sink sink, SinkSettings settings, SinkFilter filter, RetryPolicy policy, Duration timeout,
            int queueSize, HttpClient http, MeterRegistry meters, Consumer<NotificationSent> recorder, Clock clock) {
        this.name = settings.name();
        this.sink = sink;
        this.settings = settings;
        this.filter = filter;
        this.policy = policy;
        this.timeout = timeout;
        this.http = http;
        this.meters = meters;
        this.recorder = recorder;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = DaemonThreads.thread("notify-" + name, this::run);
        // Registered at zero so that dashboards show every sink before its first notification.
        for (String counter : List.of("sent", "retried")) {
            meters.counter("momentum.notifications." + counter, "sink", name);
        }
        meters.counter("momentum.notifications.dropped", "sink", name, "reason", "queue-full");
        meters.counter("momentum.notifications.dropped", "sink", name, "reason", "gave-up");
    }

    public SinkWorker start() {
        thread.start();
        return this;
    }

    public String name() {
        return name;
    }

    public SinkFilter filter() {
        return filter;
    }

    /** Queues {@code notification}; when the queue is full it is dropped, counted and recorded instead. */
    public void offer(Notification notification) {
        if (!queue.offer(notification)) {
            meters.counter("momentum.notifications.dropped", "sink", name, "reason", "queue-full").increment();
            LOG.warnf("%s: queue full (%d), dropped %s", name, queue.size(), notification.id());
            record(notification, NotificationSent.Outcome.DROPPED, 0, "queue full");
        }
    }

    private void run() {
        while (running) {
            try {
                deliver(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: delivery failed unexpectedly", name);
            }
        }
    }

    private void deliver(Notification notification) throws InterruptedException {
        List<SinkRequest> requests = sink.requests(notification, settings, clock.instant());
        if (requests.isEmpty()) {
            return;
        }
        int attempts = 0;
        for (SinkRequest request : requests) {
            Call call = call(notification, request);
            attempts += call.attempts();
            if (call.error() != null) {
                meters.counter("momentum.notifications.dropped", "sink", name, "reason", "gave-up").increment();
                LOG.errorf("%s: gave up on %s after %d call(s): %s", name, notification.id(), call.attempts(),
                        call.error());
                record(notification, NotificationSent.Outcome.GAVE_UP, attempts, call.error());
                return;
            }
        }
        meters.counter("momentum.notifications.sent", "sink", name).increment();
        LOG.debugf("%s: sent %s", name, notification.id());
        record(notification, NotificationSent.Outcome.DELIVERED, attempts, null);
    }

    /** @param error why it was given up; {@code null} when delivered */
    private record Call(int attempts, String error) {
    }

    private Call call(Notification notification, SinkRequest request) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        HttpRequest httpRequest = builder.build();
        for (int attempt = 1; ; attempt++) {
            String failure;
            RetryPolicy.Verdict verdict;
            try {
                HttpResponse<Void> response = http.send(httpRequest, HttpResponse.BodyHandlers.discarding());
                verdict = RetryPolicy.judge(response.statusCode());
                failure = "HTTP " + response.statusCode();
            } catch (IOException e) {
                // Connection refused or reset, timeouts: the receiver may be back soon.
                verdict = RetryPolicy.Verdict.RETRY;
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (verdict == RetryPolicy.Verdict.DELIVERED) {
                return new Call(attempt, null);
            }
            if (verdict == RetryPolicy.Verdict.GIVE_UP || !policy.mayRetryAfter(attempt) || !running) {
                return new Call(attempt, failure);
            }
            Duration backoff = policy.backoffAfter(attempt);
            meters.counter("momentum.notifications.retried", "sink", name).increment();
            LOG.infof("%s: %s for %s, retrying in %s", name, failure, notification.id(), backoff);
            Thread.sleep(backoff.toMillis());
        }
    }

    private void record(Notification notification, NotificationSent.Outcome outcome, int attempts, String error) {
        recorder.accept(new NotificationSent(name, notification.id(), outcome, attempts, error, clock.instant()));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
