package io.momentum.agent.messaging;

import io.momentum.agent.schedule.ResultSink;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes the agent's results ({@code deploy-results}, keyed {@code <masterId>/<environment>}) and announcements
 * ({@code masters}, keyed by master id); see {@code mp.messaging.outgoing.*}: {@code acks=all}, idempotent. Each
 * future completes once the broker stored the record, which is when a request's offset may be committed.
 */
@ApplicationScoped
public class EventPublisher implements ResultSink {

    @Inject
    @Channel("deploy-results")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<Record<String, DeployResult>> results;

    @Inject
    @Channel("masters")
    Emitter<Record<String, MasterAnnouncement>> masters;

    @Override
    public CompletionStage<Void> publish(DeployResult result) {
        return send(results, Record.of(result.key(), result));
    }

    public CompletableFuture<Void> announce(MasterAnnouncement announcement) {
        return send(masters, Record.of(announcement.masterId(), announcement));
    }

    /** Decommissions a master: compaction then forgets it. */
    public CompletableFuture<Void> tombstone(String masterId) {
        return send(masters, Record.of(masterId, null));
    }

    /** A full buffer (the broker unreachable for long) fails the future instead of throwing at the caller. */
    private static <T> CompletableFuture<Void> send(Emitter<Record<String, T>> emitter, Record<String, T> record) {
        try {
            return emitter.send(record).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
