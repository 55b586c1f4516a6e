package io.momentum.webhook.messaging;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How webhook-service waits for Kafka before it answers: every record acknowledged (acks=all) within
 * {@code momentum.webhook.publish-timeout}, and the producer configured to give up no later than that, so that an
 * event answered 503 is never stored afterwards.
 */
final class Acknowledgements {

    private Acknowledgements() {
    }

    /** @param key the channel's {@code delivery.timeout.ms} key, named in the refusal */
    static void requireGivingUpInTime(String key, long deliveryTimeoutMs, Duration publishTimeout) {
        if (deliveryTimeoutMs > publishTimeout.toMillis()) {
            throw new IllegalStateException(key + "=" + deliveryTimeoutMs
                    + " must not exceed momentum.webhook.publish-timeout=" + publishTimeout);
        }
    }

    /** Completes once every send is acknowledged, after running {@code stored}; fails on the first failure or late. */
    static CompletionStage<Void> all(Supplier<List<Uni<Void>>> sends, Duration publishTimeout, Runnable stored) {
        List<Uni<Void>> acks;
        try {
            acks = sends.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The producer gives up at delivery.timeout.ms; the extra second only guards against a lost acknowledgement.
        return Uni.join().all(acks).andFailFast()
                .ifNoItem().after(publishTimeout.plus(Duration.ofSeconds(1))).fail()
                .invoke(stored)
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }
}
