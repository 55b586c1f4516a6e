package io.momentum.health.messaging;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.RecordHandler;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies the records of the fleet topics to the {@link MonitoredFleet}: announcements and tombstones of
 * {@code momentum.masters}, the desired plans of {@code momentum.deploy-plans}, the activations of
 * {@code momentum.rollouts} (so a restarted monitor continues a rollout where it was), the deployed plans of
 * {@code momentum.deploy-results}, and from {@code momentum.master-status} only which masters have a status there,
 * so that statuses of masters nobody knows any more get tombstoned. A replay reader feeds it every record from the
 * beginning on every start; values are decoded and validated by the {@link EventDecoder}, so a malformed one is
 * skipped and counted.
 */
public final class FleetFeed implements RecordHandler {

    static final List<String> TOPICS = List.of(Topics.MASTERS, Topics.DEPLOY_PLANS, Topics.ROLLOUTS,
            Topics.DEPLOY_RESULTS, Topics.MASTER_STATUS);

    private final MonitoredFleet fleet;
    private final EventDecoder decoder;

    public FleetFeed(MonitoredFleet fleet, EventDecoder decoder) {
        this.fleet = fleet;
        this.decoder = decoder;
    }

    @Override
    public void apply(ConsumerRecord<String, byte[]> record) {
        switch (record.topic()) {
            case Topics.MASTERS -> {
                if (record.value() != null) {
                    fleet.onAnnouncement(decoder.decode(record.value(), MasterAnnouncement.class));
                } else if (record.key() != null) {
                    fleet.onDecommission(record.key());
                }
            }
            case Topics.DEPLOY_PLANS -> {
                if (record.value() == null) {
                    fleet.onDeployPlanRemoved(record.key());
                } else {
                    fleet.onDeployPlan(decoder.decode(record.value(), DeployPlan.class));
                }
            }
            case Topics.ROLLOUTS -> {
                if (record.value() == null) {
                    fleet.onActivationRemoved(record.key());
                } else {
                    fleet.onActivation(decoder.decode(record.value(), Activation.class));
                }
            }
            case Topics.DEPLOY_RESULTS -> {
                if (record.value() == null) {
                    fleet.onDeployResultRemoved(record.key());
                } else {
                    fleet.onDeployResult(decoder.decode(record.value(), DeployResult.class));
                }
            }
            case Topics.MASTER_STATUS -> {
                if (record.key() != null) {
                    fleet.onStatusRecord(record.key(), record.value() == null);
                }
            }
        }
    }
}
