package io.momentum.service.replay;

import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens {@link CompactedTopicReader}s with the service's Kafka settings, keeps them for {@link ReplayReadiness},
 * and closes them when the service stops.
 */
@ApplicationScoped
public class ReplayReaders {

    private final List<CompactedTopicReader> readers = new CopyOnWriteArrayList<>();

    @Inject
    KafkaClientSettings kafka;

    @Inject
    EventDecoder decoder;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    /**
     * Starts reading {@code topics} from their beginning.
     *
     * @param name what this reader rebuilds, for thread names, logs, the client id and readiness
     * @param afterBatch runs on the reader's thread after every batch of records and once on catching up
     */
    public CompactedTopicReader open(String name, List<String> topics, RecordHandler handler, Runnable afterBatch) {
        return open(name, topics, handler, afterBatch, () -> { });
    }

    /**
     * Like {@link #open(String, List, RecordHandler, Runnable)}, and runs {@code onCaughtUp} once, on the reader's
     * thread, when the replay is done (before that batch's {@code afterBatch}); it may run before this method
     * returns.
     */
    public CompactedTopicReader open(String name, List<String> topics, RecordHandler handler, Runnable afterBatch,
            Runnable onCaughtUp) {
        CompactedTopicReader reader = new CompactedTopicReader(name, topics, consumerConfig(name), handler,
                afterBatch, onCaughtUp, decoder);
        readers.add(reader);
        reader.start();
        return reader;
    }

    List<CompactedTopicReader> all() {
        return List.copyOf(readers);
    }

    /**
     * No group (every instance reads everything, nothing is committed), only committed records, and never a
     * metadata request that creates a topic without its cleanup policy: provisioning creates them.
     */
    Map<String, Object> consumerConfig(String name) {
        Map<String, Object> config = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, application + "-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }

    void onStop(@Observes ShutdownEvent event) {
        readers.forEach(CompactedTopicReader::close);
    }
}
