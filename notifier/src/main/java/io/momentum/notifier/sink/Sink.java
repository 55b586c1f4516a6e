package io.momentum.notifier.sink;

import io.momentum.notifier.domain.Notification;
import java.time.Instant;
import java.util.List;

/**
 * One kind of receiver (a chat, a generic webhook, Foreman): how a notification becomes HTTP POSTs for it. Each
 * implementation is a CDI bean with {@code @Identifier(<type>)}, chosen by
 * {@code momentum.notifier.sinks.<name>.type}; the HTTP calls, retries and metrics are the same for all.
 */
public interface Sink {

    /**
     * The calls that tell this receiver about {@code notification}, in order; empty when it has nothing to say (Foreman
     * only cares about successful deploys).
     *
     * @param sentAt when the calls are made, for receivers that want a timestamp
     */
    List<SinkRequest> requests(Notification notification, SinkSettings settings, Instant sentAt);

    /**
     * Refuses settings this receiver cannot work with, at start-up.
     *
     * @throws IllegalStateException naming the missing or wrong key
     */
    default void check(SinkSettings settings) {
    }
}
