package io.momentum.webhook.messaging;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.shared.json.EventDecodingException;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.WebhookIntake;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads {@code momentum.deploy-requests}, {@code momentum.deploy-results} and {@code momentum.masters} from the
 * beginning on every start, without a consumer group (every instance needs every record), into {@link DeployState}
 * and the delivery deduplicator. Malformed records are logged and skipped.
 */
@ApplicationScoped
public class StateReplayer {

    private static final Logger LOG = Logger.getLogger(StateReplayer.class);
    private static final List<String> TOPICS = List.of(Topics.DEPLOY_REQUESTS, Topics.DEPLOY_RESULTS, Topics.MASTERS);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    DeployState state;

    @Inject
    DeliveryDeduplicator deduplicator;

    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Topics are created by provisioning with compaction; a metadata request must never create them plainly.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "momentum-webhook-state");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "momentum-state-replayer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether everything that was on the topics when the service started has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> startEnds = assignAll();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (!caughtUp && startEnds.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.info("deploy state rebuilt from the topics");
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "deploy state reader stopped");
        } finally {
            consumer.close();
        }
    }

    /** Assigns every partition of the topics, retrying until the broker answers and the topics exist. */
    private Map<TopicPartition, Long> assignAll() {
        while (running) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : TOPICS) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    if (infos == null || infos.isEmpty()) {
                        throw new IllegalStateException("topic " + topic + " has no partitions yet");
                    }
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                return consumer.endOffsets(partitions, Duration.ofSeconds(10));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warnf("waiting for the broker to read deploy state: %s", e.getMessage());
                sleep();
            }
        }
        throw new WakeupException();
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case Topics.DEPLOY_REQUESTS -> {
                    if (record.value() != null) {
                        DeployRequest request = EventCodec.decode(record.value(), DeployRequest.class);
                        state.onRequest(request);
                        if (request.deliveryId() != null) {
                            deduplicator.remember(WebhookIntake.deliveryKey(request.provider(), request.deliveryId()),
                                    request.requestId(), request.requestedAt());
                        }
                    }
                }
                case Topics.DEPLOY_RESULTS -> {
                    if (record.value() != null) {
                        state.onResult(EventCodec.decode(record.value(), DeployResult.class));
                    }
                }
                case Topics.MASTERS -> state.onMaster(record.key(), record.value() == null ? null
                        : EventCodec.decode(record.value(), MasterAnnouncement.class));
                default -> {
                }
            }
        } catch (EventDecodingException e) {
            LOG.warnf("skipping malformed record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
