package io.momentum.webhook.messaging;

import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.Topics;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployState;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rebuilds {@link DeployState} and the delivery deduplicator from {@code momentum.deploy-requests},
 * {@code momentum.deploy-plans}, {@code momentum.rollouts}, {@code momentum.deploy-results} and
 * {@code momentum.masters}, read from the beginning on every start by a replay reader (every instance needs every
 * record; readiness stays DOWN until it caught up). Superseded plans are kept on the compacted plans topic for a
 * while, so the replay also rebuilds the plans a rollback can choose from.
 */
@ApplicationScoped
public class StateReplayer {

    private static final List<String> TOPICS = List.of(Topics.DEPLOY_REQUESTS, Topics.DEPLOY_PLANS,
            Topics.ROLLOUTS, Topics.DEPLOY_RESULTS, Topics.MASTERS);

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    @Inject
    DeployState state;

    @Inject
    DeliveryDeduplicator deduplicator;

    private volatile CompactedTopicReader reader;

    void onStart(@Observes StartupEvent event) {
        reader = readers.open("deploy-state", TOPICS, this::apply, () -> {
        });
    }

    /** Whether everything that was on the topics when the service started has been read. */
    public boolean caughtUp() {
        CompactedTopicReader current = reader;
        return current != null && current.caughtUp();
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        switch (record.topic()) {
            case Topics.DEPLOY_REQUESTS -> {
                if (record.value() != null) {
                    DeployRequest request = decoder.decode(record.value(), DeployRequest.class);
                    state.onRequest(request);
                    if (request.deliveryId() != null) {
                        deduplicator.remember(DeliveryDeduplicator.deliveryKey(request.provider(),
                                request.deliveryId()), request.requestId(), request.requestedAt());
                    }
                }
            }
            case Topics.DEPLOY_PLANS -> {
                if (record.value() != null) {
                    state.onPlan(decoder.decode(record.value(), DeployPlan.class));
                }
            }
            case Topics.ROLLOUTS -> {
                if (record.value() != null) {
                    state.onActivation(decoder.decode(record.value(), Activation.class));
                }
            }
            case Topics.DEPLOY_RESULTS -> {
                if (record.value() != null) {
                    state.onResult(decoder.decode(record.value(), DeployResult.class));
                }
            }
            case Topics.MASTERS -> state.onMaster(record.key(), record.value() == null ? null
                    : decoder.decode(record.value(), MasterAnnouncement.class));
            default -> {
            }
        }
    }
}
