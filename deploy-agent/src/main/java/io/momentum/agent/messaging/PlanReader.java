package io.momentum.agent.messaging;

import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads {@code momentum.deploy-plans} with service-support's replay reader: every partition from the beginning, no
 * consumer group, nothing committed, because every agent needs every plan (the latest per environment is what it
 * must serve). Records are decoded by the {@link EventDecoder}; one it refuses is logged, counted and skipped.
 */
@ApplicationScoped
public class PlanReader {

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    /**
     * Hands every plan to {@code plans} in topic order, on the reader's thread, and runs {@code onCaughtUp} once,
     * after the plans present at start are handed over.
     */
    public CompactedTopicReader follow(Consumer<DeployPlan> plans, Runnable onCaughtUp) {
        return readers.open("deploy-plans", List.of(Topics.DEPLOY_PLANS), record -> {
            if (record.value() != null) {
                plans.accept(decoder.decode(record.value(), DeployPlan.class));
            }
        }, () -> { }, onCaughtUp);
    }
}
