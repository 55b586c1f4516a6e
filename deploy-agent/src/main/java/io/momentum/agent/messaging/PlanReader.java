package io.momentum.agent.messaging;

import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads {@code momentum.deploy-plans} and {@code momentum.rollouts} with one service-support replay reader: every
 * partition from the beginning, no consumer group, nothing committed, because every agent needs every plan (the
 * latest per environment is what it must serve) and every activation (the latest per environment says whether a
 * staged plan goes live here). One reader, so that both are replayed before the agent reconciles, and plans and
 * activations reach the agent on one thread. Records are decoded by the {@link EventDecoder}; one it refuses is
 * logged, counted and skipped; tombstones are ignored.
 */
@ApplicationScoped
public class PlanReader {

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    /**
     * Hands every plan to {@code plans} and every activation to {@code activations} in topic order, on the reader's
     * thread, and runs {@code onCaughtUp} once, after the records present at start are handed over.
     */
    public CompactedTopicReader follow(Consumer<DeployPlan> plans, Consumer<Activation> activations,
            Runnable onCaughtUp) {
        return readers.open("plans-and-rollouts", List.of(Topics.DEPLOY_PLANS, Topics.ROLLOUTS), record -> {
            if (record.value() == null) {
                return;
            }
            if (record.topic().equals(Topics.ROLLOUTS)) {
                activations.accept(decoder.decode(record.value(), Activation.class));
            } else {
                plans.accept(decoder.decode(record.value(), DeployPlan.class));
            }
        }, () -> { }, onCaughtUp);
    }
}
