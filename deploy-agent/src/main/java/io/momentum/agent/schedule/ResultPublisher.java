package io.momentum.agent.schedule;

import io.momentum.shared.event.DeployResult;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/** Gets results stored in the {@link ResultSink}, however long the broker is away. */
final class ResultPublisher {

    private static final Logger LOG = Logger.getLogger(ResultPublisher.class);

    private final ResultSink sink;
    private final Duration retryDelay;
    private final BooleanSupplier closed;

    ResultPublisher(ResultSink sink, Duration retryDelay, BooleanSupplier closed) {
        this.sink = sink;
        this.retryDelay = retryDelay;
        this.closed = closed;
    }

    /**
     * Publishes a result, retrying until it is stored or the scheduler closes (then it completes exceptionally), so
     * that a result is never silently lost while the agent runs.
     */
    CompletableFuture<Void> publish(DeployResult result) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        attemptPublish(result, stored);
        return stored;
    }

    private void attemptPublish(DeployResult result, CompletableFuture<Void> stored) {
        CompletableFuture<Void> attempt;
        try {
            attempt = sink.publish(result).toCompletableFuture();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((ok, error) -> {
            if (error == null) {
                stored.complete(null);
            } else if (closed.getAsBoolean()) {
                stored.completeExceptionally(new CancellationException("result not stored before shutdown"));
            } else {
                LOG.errorf("cannot publish the result of %s for %s (retrying): %s", result.requestId(),
                        result.environment(), error.getMessage() == null ? error.toString() : error.getMessage());
                CompletableFuture.delayedExecutor(retryDelay.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> attemptPublish(result, stored));
            }
        });
    }
}
