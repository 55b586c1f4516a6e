package io.momentum.health.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.probe.FakePuppetServer;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The chaos finding behind this test: while the broker was down, the monitor heard no heartbeats and afterwards
 * published healthy masters as {@code agent silent}. Here an agent heartbeats every 2 s (silent after 6 s) through
 * a broker outage of 10 s: no {@code routable=false ... agent silent} status may be published for it, and once it
 * really stops heartbeating it is declared silent.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class BrokerOutageSilenceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long HEARTBEAT_MS = 2_000;
    private static final String ID = "outage-cm1";

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    MonitoredFleet fleet;

    @Test
    void silenceDuringTheOutageDoesNotCountButARealSilenceAfterwardsDoes() throws Exception {
        ScheduledExecutorService agent = Executors.newSingleThreadScheduledExecutor();
        try (FakePuppetServer server = FakePuppetServer.http();
                KafkaProducer<String, byte[]> producer = producer();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            Instant startedAt = Instant.now();
            agent.scheduleAtFixedRate(() -> producer.send(new ProducerRecord<>(Topics.MASTERS, ID,
                    EventCodec.encode(new MasterAnnouncement(ID, MasterRole.COMPILE, server.url(), null,
                            MasterState.READY, "test", startedAt, Instant.now(), HEARTBEAT_MS)))),
                    0, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> fleet.status(ID)
                    .filter(status -> status.health() == Health.UP && !silent(status)).isPresent());

            broker.stop();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> fleet.deafSince().isPresent());
                Thread.sleep(10_000);
                assertThat(fleet.status(ID).orElseThrow()).as("during the outage")
                        .matches(status -> !silent(status));
            } finally {
                broker.start();
            }
            await().atMost(WAIT).until(() -> fleet.deafSince().isEmpty());
            Thread.sleep(3 * HEARTBEAT_MS + 2_000);
            assertThat(fleet.status(ID).orElseThrow()).as("a full window after the outage")
                    .matches(status -> status.health() == Health.UP && !silent(status));

            agent.shutdownNow();
            agent.awaitTermination(5, TimeUnit.SECONDS);
            producer.flush();
            Instant stopped = Instant.now();
            ConsumerTask<String, String> statuses = companion.consumeStrings().fromTopics(Topics.MASTER_STATUS);
            try {
                await().atMost(WAIT).until(() -> silentRecords(statuses.getRecords()).stream()
                        .anyMatch(record -> record.timestamp() >= stopped.toEpochMilli()));
                assertThat(silentRecords(statuses.getRecords()))
                        .as("silent statuses published before the agent stopped heartbeating")
                        .allMatch(record -> record.timestamp() >= stopped.toEpochMilli());
            } finally {
                statuses.stop();
            }
            producer.send(new ProducerRecord<>(Topics.MASTERS, ID, null)).get(30, TimeUnit.SECONDS);
        } finally {
            agent.shutdownNow();
        }
    }

    private static List<ConsumerRecord<String, String>> silentRecords(List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .filter(record -> ID.equals(record.key()) && record.value() != null)
                .filter(record -> silent(EventCodec.decode(record.value(), MasterStatus.class)))
                .toList();
    }

    /** Out of the load balancer because the agent is silent (the strict test policy may keep it out for lag). */
    private static boolean silent(MasterStatus status) {
        return !status.routable() && status.reason() != null && status.reason().startsWith("agent silent");
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }
}
