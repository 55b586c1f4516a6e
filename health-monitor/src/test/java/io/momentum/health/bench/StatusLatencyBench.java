package io.momentum.health.bench;

import io.momentum.health.domain.FlapDamping;
import io.momentum.health.domain.HealthSettings;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.Publication;
import io.momentum.health.domain.RolloutSettings;
import io.momentum.health.domain.ServeStalePolicy;
import io.momentum.health.domain.StaticMaster;
import io.momentum.health.messaging.PublishLoop;
import io.momentum.health.probe.FakePuppetServer.Mode;
import io.momentum.health.probe.FakePuppetServer;
import io.momentum.health.probe.ProbeLoop;
import io.momentum.health.probe.ProbeRounds;
import io.momentum.health.probe.PuppetStatusClient;
import io.momentum.service.kafka.EventSerializer;
import io.momentum.service.kafka.TopicProvisioner;
import io.momentum.service.kafka.TopicSettings;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures how long it takes from a master's status endpoint starting to fail (503 {@code error}) until a
 * non-routable MasterStatus for it is readable on {@code momentum.master-status}: the monitor's own probe loop,
 * rise/fall, publish loop and an {@code acks=all} idempotent producer, against an embedded broker. Not a test (no
 * assertion); run it with {@code java -cp <test classpath> io.momentum.health.bench.StatusLatencyBench [samples]}.
 * The failure starts at a random phase of the probe schedule, as it would in production.
 */
public final class StatusLatencyBench {

    private StatusLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        try (KafkaBroker broker = KafkaBroker.startFresh()) {
            new TopicProvisioner(Map.of("bootstrap.servers", broker.bootstrapServers()), TopicSettings.LOCAL)
                    .provision();
            run(broker, "defaults (interval 2s, timeout 1s, rise 2, fall 3)", HealthSettings.defaults(), samples);
            run(broker, "interval 500ms (timeout 250ms, rise 2, fall 3)", new HealthSettings(Duration.ofMillis(500),
                    Duration.ofMillis(250), 2, 3, Duration.ofSeconds(30), FlapDamping.off()), samples);
        }
    }

    private static void run(KafkaBroker broker, String label, HealthSettings settings, int samples)
            throws Exception {
        HealthSettings noDamping = settings.withFlap(FlapDamping.off());
        String masterId = "bench-" + settings.interval().toMillis();
        try (FakePuppetServer server = FakePuppetServer.http();
                KafkaProducer<String, Event> producer = producer(broker);
                StatusWatcher watcher = new StatusWatcher(broker, masterId)) {
            MonitoredFleet fleet = new MonitoredFleet(noDamping, RolloutSettings.defaults(), new ServeStalePolicy(),
                    List.of(new StaticMaster(masterId, server.url(), null, null)), Clock.systemUTC());
            PuppetStatusClient client = new PuppetStatusClient(
                    PuppetStatusClient.httpClient(SSLContext.getDefault(), noDamping.timeout()), noDamping.timeout(),
                    true, Clock.systemUTC());
            // A fresh broker holds nothing to replay, so publishing is ready at once.
            try (PublishLoop publishing = new PublishLoop(fleet, publication -> send(producer, publication),
                    activation -> CompletableFuture.completedFuture(null), () -> true);
                    ProbeRounds probes = ProbeRounds.every(noDamping.interval(), new ProbeLoop(fleet, client,
                            publishing::nudge, Clock.systemUTC()))) {
                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                    server.mode(Mode.RUNNING);
                    watcher.await(MasterStatus::routable, Duration.ofSeconds(60));
                    Thread.sleep(ThreadLocalRandom.current().nextLong(noDamping.interval().toMillis() + 1));
                    long failing = System.nanoTime();
                    server.mode(Mode.ERROR);
                    long seen = watcher.await(s -> !s.routable(), Duration.ofSeconds(60));
                    latencies.add(TimeUnit.NANOSECONDS.toMillis(seen - failing));
                }
                Collections.sort(latencies);
                System.out.printf("%s: failing -> non-routable status on the topic, %d samples, ms: min %d, median"
                        + " %d, max %d  %s%n", label, samples, latencies.get(0), latencies.get(latencies.size() / 2),
                        latencies.get(latencies.size() - 1), latencies.stream().map(String::valueOf)
                                .collect(Collectors.joining(" ", "[", "]")));
            }
        }
    }

    private static CompletableFuture<Object> send(KafkaProducer<String, Event> producer,
            Publication publication) {
        CompletableFuture<Object> written = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(Topics.MASTER_STATUS, publication.masterId(), publication.status()),
                (metadata, failure) -> {
                    if (failure != null) {
                        written.completeExceptionally(failure);
                    } else {
                        written.complete(metadata);
                    }
                });
        return written;
    }

    private static KafkaProducer<String, Event> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new EventSerializer());
    }

    /** Follows the status topic from its end and remembers when the latest status of one master arrived. */
    private static final class StatusWatcher implements AutoCloseable {

        private record Seen(MasterStatus status, long nanos) {
        }

        private final AtomicReference<Seen> latest = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        StatusWatcher(KafkaBroker broker, String masterId) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers()), new StringDeserializer(),
                    new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.MASTER_STATUS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                            if (masterId.equals(record.key()) && record.value() != null) {
                                latest.set(new Seen(EventCodec.decode(record.value(), MasterStatus.class),
                                        System.nanoTime()));
                            }
                        }
                    }
                }
            }, "bench-status-watcher");
            thread.start();
        }

        /** Waits for a status matching {@code condition}; returns when it arrived (System.nanoTime). */
        long await(Predicate<MasterStatus> condition, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                Seen seen = latest.get();
                if (seen != null && condition.test(seen.status())) {
                    return seen.nanos();
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("no matching status within " + within);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
