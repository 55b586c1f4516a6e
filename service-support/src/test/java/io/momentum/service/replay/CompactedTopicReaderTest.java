package io.momentum.service.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.service.events.EventDecoder;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.KafkaBroker;
import jakarta.validation.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real in-process KRaft broker. */
class CompactedTopicReaderTest {

    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startFresh();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void replaysEveryPartitionFromTheBeginningThenFollowsAndSkipsWhatItCannotDecode() throws Exception {
        String topic = "replay-test-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, "cm" + i, EventCodec.encode(status("cm" + i)))).get();
            }
            producer.send(new ProducerRecord<>(topic, "bad", "{not json".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, "newer", ("{\"type\":\"MasterStatus\",\"schemaVersion\":9,"
                    + "\"masterId\":\"cm1\"}").getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, "invalid", ("{\"type\":\"MasterStatus\",\"schemaVersion\":1,"
                    + "\"masterId\":\"NOT a master id!\",\"health\":\"UP\",\"checkedAt\":\"2026-12-01T00:00:00Z\"}")
                    .getBytes(StandardCharsets.UTF_8))).get();
        }
        List<String> applied = new CopyOnWriteArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger caughtUpCalls = new AtomicInteger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventDecoder decoder = new EventDecoder(Validation.buildDefaultValidatorFactory().getValidator(), meters);
        try (CompactedTopicReader reader = new CompactedTopicReader("test", List.of(topic), consumerConfig(),
                record -> applied.add(decoder.decode(record.value(), MasterStatus.class).masterId()),
                batches::incrementAndGet, caughtUpCalls::incrementAndGet, decoder)) {
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
            assertThat(applied).hasSize(30);
            assertThat(batches.get()).isPositive();
            assertThat(caughtUpCalls.get()).isEqualTo(1);
            assertThat(meters.counter("momentum.events.skipped", "topic", topic, "reason", "malformed").count())
                    .isEqualTo(2);
            assertThat(meters.counter("momentum.events.skipped", "topic", topic, "reason", "newer-schema").count())
                    .isEqualTo(1);

            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(topic, "late", EventCodec.encode(status("late")))).get();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> applied.contains("late"));
            assertThat(caughtUpCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void waitsForATopicThatDoesNotExistYetAndIsNotCaughtUpMeanwhile() throws Exception {
        String topic = "replay-later-" + System.nanoTime();
        EventDecoder decoder = new EventDecoder(Validation.buildDefaultValidatorFactory().getValidator(),
                new SimpleMeterRegistry());
        List<String> applied = new CopyOnWriteArrayList<>();
        try (CompactedTopicReader reader = new CompactedTopicReader("later", List.of(topic), consumerConfig(),
                record -> applied.add(record.key()), () -> { }, () -> { }, decoder)) {
            reader.start();
            Thread.sleep(1500);
            assertThat(reader.caughtUp()).isFalse();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(topic, "first", EventCodec.encode(status("first")))).get();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> reader.caughtUp() && applied.contains("first"));
        }
    }

    @Test
    void readUpToNowCompletesOnlyOnceWhatWasOnTheTopicWhenAskedIsApplied() throws Exception {
        String topic = "replay-now-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        EventDecoder decoder = new EventDecoder(Validation.buildDefaultValidatorFactory().getValidator(),
                new SimpleMeterRegistry());
        List<String> applied = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        try (CompactedTopicReader reader = new CompactedTopicReader("now", List.of(topic), consumerConfig(),
                record -> {
                    if (record.key().startsWith("late")) {
                        // The reader lags: it is stuck on the first late record until the gate opens.
                        try {
                            gate.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    applied.add(record.key());
                }, () -> { }, () -> { }, decoder)) {
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, "late" + i, EventCodec.encode(status("x")))).get();
                }
            }

            CompletableFuture<Void> read = reader.readUpToNow();
            Thread.sleep(500);
            assertThat(read).isNotDone();
            gate.countDown();

            read.get(15, TimeUnit.SECONDS);
            assertThat(applied).contains("late0", "late1", "late2");
        }
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of("bootstrap.servers", broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    private static MasterStatus status(String masterId) {
        return new MasterStatus(masterId, null, null, Health.UP, true, List.of(), true, false, null, 0, null,
                Instant.parse("2026-12-01T00:00:00Z"));
    }
}
