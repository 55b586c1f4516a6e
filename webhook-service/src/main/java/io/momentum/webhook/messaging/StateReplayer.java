package io.momentum.webhook.messaging;

import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.LoadBalancerChanges;
import io.momentum.webhook.domain.MasterStatuses;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rebuilds {@link DeployState} and the delivery deduplicator from {@code momentum.deploy-requests},
 * {@code momentum.deploy-plans}, {@code momentum.rollouts}, {@code momentum.deploy-results} and
 * {@code momentum.masters}, and the operators' views ({@link MasterStatuses}, {@link LoadBalancerChanges}) from
 * {@code momentum.master-status} and {@code momentum.lb-changes}, read from the beginning on every start by a
 * replay reader (every instance needs every record; readiness stays DOWN until it caught up). Once caught up, each
 * record is also handed to {@link LiveEvents}. Superseded plans are kept on the compacted plans topic for a
 * while, so the replay also rebuilds the plans a rollback can choose from.
 */
@ApplicationScoped
public class StateReplayer {

    private static final List<String> TOPICS = List.of(Topics.DEPLOY_REQUESTS, Topics.DEPLOY_PLANS,
            Topics.ROLLOUTS, Topics.DEPLOY_RESULTS, Topics.MASTERS, Topics.MASTER_STATUS, Topics.LB_CHANGES);

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    @Inject
    DeployState state;

    @Inject
    DeliveryDeduplicator deduplicator;

    @Inject
    MasterStatuses statuses;

    @Inject
    LoadBalancerChanges loadBalancers;

    @Inject
    LiveEvents live;

    private volatile CompactedTopicReader reader;

    void onStart(@Observes StartupEvent event) {
        reader = readers.open("deploy-state", TOPICS, this::apply, () -> {
        });
    }

    /**
     * Completes once the state holds every record that is on the topics now (see
     * {@link CompactedTopicReader#readUpToNow()}), for a decision that must not be taken on a lagging view.
     */
    public CompletableFuture<Void> readUpToNow() {
        CompactedTopicReader current = reader;
        return current == null ? CompletableFuture.failedFuture(new IllegalStateException("not started"))
                : current.readUpToNow();
    }

    /** Whether everything that was on the topics when the service started has been read. */
    public boolean caughtUp() {
        CompactedTopicReader current = reader;
        return current != null && current.caughtUp();
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            // Tombstones: of a decommissioned master (its announcement and status); nothing else is deleted.
            switch (record.topic()) {
                case Topics.MASTERS -> state.onMaster(record.key(), null);
                case Topics.MASTER_STATUS -> statuses.onStatus(record.key(), null);
                default -> {
                }
            }
            return;
        }
        Event event = switch (record.topic()) {
            case Topics.DEPLOY_REQUESTS -> {
                DeployRequest request = decoder.decode(record.value(), DeployRequest.class);
                state.onRequest(request);
                if (request.deliveryId() != null) {
                    deduplicator.remember(DeliveryDeduplicator.deliveryKey(request.provider(),
                            request.deliveryId()), request.requestId(), request.requestedAt());
                }
                yield request;
            }
            case Topics.DEPLOY_PLANS -> {
                DeployPlan plan = decoder.decode(record.value(), DeployPlan.class);
                state.onPlan(plan);
                yield plan;
            }
            case Topics.ROLLOUTS -> {
                Activation activation = decoder.decode(record.value(), Activation.class);
                state.onActivation(activation);
                yield activation;
            }
            case Topics.DEPLOY_RESULTS -> {
                DeployResult result = decoder.decode(record.value(), DeployResult.class);
                state.onResult(result);
                yield result;
            }
            case Topics.MASTERS -> {
                MasterAnnouncement announcement = decoder.decode(record.value(), MasterAnnouncement.class);
                state.onMaster(record.key(), announcement);
                yield announcement;
            }
            case Topics.MASTER_STATUS -> {
                MasterStatus status = decoder.decode(record.value(), MasterStatus.class);
                statuses.onStatus(record.key(), status);
                yield status;
            }
            case Topics.LB_CHANGES -> {
                LbConfigApplied change = decoder.decode(record.value(), LbConfigApplied.class);
                loadBalancers.onChange(record.key(), change);
                yield change;
            }
            default -> null;
        };
        // What stood on the topics before the service started is state, not news.
        if (event != null && caughtUp()) {
            live.publish(record.topic(), event);
        }
    }
}
