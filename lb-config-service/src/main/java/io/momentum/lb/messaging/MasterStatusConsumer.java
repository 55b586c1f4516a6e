package io.momentum.lb.messaging;

import io.momentum.lb.service.LbService;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rebuilds the fleet from momentum.master-status on every start through a replay reader (every partition, no
 * consumer group: two load balancers with the same lbId must never split the fleet between them), and tells the
 * service once the replay is complete, so that it applies the whole fleet, never a partial one.
 */
@ApplicationScoped
public class MasterStatusConsumer {

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    @Inject
    LbService service;

    void onStart(@Observes StartupEvent event) {
        readers.open("master-status", List.of(Topics.MASTER_STATUS), this::handle, () -> { }, service::onCaughtUp);
    }

    /** A tombstone (null value) removes the master; a record the decoder refuses is skipped by the reader. */
    void handle(ConsumerRecord<String, byte[]> record) {
        MasterStatus status = record.value() == null ? null : decoder.decode(record.value(), MasterStatus.class);
        service.onStatus(record.key(), status);
    }
}
