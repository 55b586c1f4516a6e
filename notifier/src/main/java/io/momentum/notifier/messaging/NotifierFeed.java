package io.momentum.notifier.messaging;

import io.momentum.notifier.domain.FleetNotifications;
import io.momentum.notifier.domain.SentLog;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.RecordHandler;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies the records of the topics the notifier follows to {@link FleetNotifications}, and the records of
 * {@code momentum.notifications} (what was sent, by key) to the {@link SentLog}. Tombstones of requests, plans and
 * results are compaction's business and change nothing here. Values are decoded and validated by the
 * {@link EventDecoder}, so a malformed one is skipped and counted.
 */
final class NotifierFeed implements RecordHandler {

    static final List<String> TOPICS = List.of(Topics.DEPLOY_REQUESTS, Topics.DEPLOY_PLANS, Topics.DEPLOY_RESULTS,
            Topics.MASTERS, Topics.MASTER_STATUS, Topics.LB_CHANGES, Topics.NOTIFICATIONS);

    private final FleetNotifications fleet;
    private final SentLog sent;
    private final EventDecoder decoder;

    NotifierFeed(FleetNotifications fleet, SentLog sent, EventDecoder decoder) {
        this.fleet = fleet;
        this.sent = sent;
        this.decoder = decoder;
    }

    @Override
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            switch (record.topic()) {
                case Topics.MASTERS -> fleet.onMaster(record.key(), null);
                case Topics.MASTER_STATUS -> fleet.onStatusRemoved(record.key());
                default -> { }
            }
            return;
        }
        switch (record.topic()) {
            case Topics.DEPLOY_REQUESTS -> fleet.onRequest(decoder.decode(record.value(), DeployRequest.class));
            case Topics.DEPLOY_PLANS -> fleet.onPlan(decoder.decode(record.value(), DeployPlan.class));
            case Topics.DEPLOY_RESULTS -> fleet.onResult(decoder.decode(record.value(), DeployResult.class));
            case Topics.MASTERS -> {
                MasterAnnouncement announcement = decoder.decode(record.value(), MasterAnnouncement.class);
                fleet.onMaster(announcement.masterId(), announcement);
            }
            case Topics.MASTER_STATUS -> fleet.onStatus(decoder.decode(record.value(), MasterStatus.class));
            case Topics.LB_CHANGES -> fleet.onLbChange(decoder.decode(record.value(), LbConfigApplied.class));
            case Topics.NOTIFICATIONS -> sent.recorded(record.key());
            default -> { }
        }
    }
}
