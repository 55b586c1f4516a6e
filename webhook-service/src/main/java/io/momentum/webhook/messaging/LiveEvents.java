package io.momentum.webhook.messaging;

import io.momentum.shared.event.Event;
import io.momentum.shared.event.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands every record the {@link StateReplayer} reads after its replay to whoever listens at that moment (the
 * {@code /api/v1/events} streams), named by its kind. A listener is called on the replay thread and must not block.
 */
@ApplicationScoped
public class LiveEvents {

    /** An event as the stream names it. */
    public record LiveEvent(String kind, Event event) {
    }

    /** The stream's name for the events of each topic it follows. */
    static final Map<String, String> KINDS = Map.of(Topics.DEPLOY_REQUESTS, "deploy-request",
            Topics.DEPLOY_PLANS, "deploy-plan", Topics.ROLLOUTS, "rollout", Topics.DEPLOY_RESULTS, "deploy-result",
            Topics.MASTER_STATUS, "master-status", Topics.LB_CHANGES, "lb-change");

    private final List<Consumer<LiveEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Starts handing events to {@code listener}; running the answer stops it. */
    public Runnable listen(Consumer<LiveEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(String topic, Event event) {
        Optional.ofNullable(KINDS.get(topic)).map(kind -> new LiveEvent(kind, event))
                .ifPresent(live -> listeners.forEach(l -> l.accept(live)));
    }
}
