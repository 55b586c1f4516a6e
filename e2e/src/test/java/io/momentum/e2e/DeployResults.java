package io.momentum.e2e;

import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every {@link DeployResult} the agents publish, read from the broker as the monitor reads them. */
final class DeployResults implements AutoCloseable {

    private final List<DeployResult> seen = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    DeployResults(String bootstrapServers) {
        reader = new Thread(() -> read(bootstrapServers), "deploy-results-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(String bootstrapServers) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", "real-puppet-it-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "metadata.max.age.ms", "1000",
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEPLOY_RESULTS));
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        seen.add(EventCodec.decode(record.value(), DeployResult.class));
                    }
                }
            }
        }
    }

    /** The first result matching {@code wanted}, waiting up to {@code within}. */
    DeployResult await(Predicate<DeployResult> wanted, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<DeployResult> found = seen.stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            ServiceProcess.sleep(100);
        }
        throw new AssertionError("no deploy result " + what + " within " + within + "; seen: " + seen);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.join(5000);
    }
}
