package io.momentum.health.messaging;

import io.momentum.health.domain.Publication;
import io.momentum.shared.event.MasterStatus;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The {@code master-status} channel: a status keyed by master id, or a tombstone, acknowledged by every in-sync
 * replica (see {@code mp.messaging.outgoing.master-status.*}).
 */
@ApplicationScoped
public class StatusPublisher implements StatusSink {

    @Inject
    @Channel("master-status")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<Record<String, MasterStatus>> emitter;

    @Override
    public CompletionStage<Void> write(Publication publication) {
        return emitter.send(Record.of(publication.masterId(), publication.status()));
    }
}
