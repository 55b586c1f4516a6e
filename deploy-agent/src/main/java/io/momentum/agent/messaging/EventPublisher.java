package io.momentum.agent.messaging;

import io.momentum.agent.schedule.ResultSink;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.Topics;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes the agent's results and announcements ({@code acks=all}, idempotent), keyed as SPEC.md says. */
public final class EventPublisher implements ResultSink, AutoCloseable {

    private final Producer<String, Event> producer;

    public EventPublisher(Map<String, Object> kafka, String masterId) {
        this.producer = new KafkaProducer<>(KafkaSettings.producer(kafka, masterId));
    }

    @Override
    public CompletableFuture<Void> publish(DeployResult result) {
        return send(Topics.DEPLOY_RESULTS, result.key(), result);
    }

    public CompletableFuture<Void> announce(MasterAnnouncement announcement) {
        return send(Topics.MASTERS, announcement.masterId(), announcement);
    }

    /** Decommissions a master: compaction then forgets it. */
    public CompletableFuture<Void> tombstone(String masterId) {
        return send(Topics.MASTERS, masterId, null);
    }

    private CompletableFuture<Void> send(String topic, String key, Event value) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    stored.complete(null);
                } else {
                    stored.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            stored.completeExceptionally(e);
        }
        return stored;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
