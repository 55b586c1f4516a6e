package io.momentum.health.messaging;

import io.momentum.health.domain.Fleet;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterIdPattern;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.shared.json.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads {@code momentum.masters}, {@code momentum.deploy-requests} and {@code momentum.deploy-results} from the
 * beginning into the {@link Fleet}, then follows them; from {@code momentum.master-status} it only notes which
 * masters have a status there, so that statuses of masters nobody knows any more get tombstoned. It assigns every partition itself instead of joining a
 * consumer group and commits nothing: every monitor instance sees every record, and every start rebuilds the
 * whole state from the compacted topics. It counts as caught up once it has read up to the end offsets it saw at
 * start-up; until then the monitor publishes nothing, so a restart never publishes a half-rebuilt view.
 */
public final class FleetFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FleetFeed.class);
    static final List<String> TOPICS = List.of(Topics.MASTERS, Topics.DEPLOY_REQUESTS, Topics.DEPLOY_RESULTS,
            Topics.MASTER_STATUS);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Map<String, Object> kafka;
    private final Fleet fleet;
    private final Runnable afterBatch;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param kafka client settings ({@code bootstrap.servers}, security); consumer settings are added here
     * @param afterBatch runs after every batch of records, e.g. to publish changed statuses at once
     */
    public FleetFeed(Map<String, Object> kafka, Fleet fleet, Runnable afterBatch) {
        this.kafka = kafka;
        this.fleet = fleet;
        this.afterBatch = afterBatch;
    }

    public FleetFeed start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "health-fleet-feed");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** Whether everything that was on the topics when the monitor started has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(consumerConfig(),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafkaConsumer;
                follow(kafkaConsumer);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warnf("reading the fleet topics failed, starting over in %s: %s", RETRY, e.toString());
                sleep(RETRY);
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> kafkaConsumer) {
        List<TopicPartition> partitions = partitions(kafkaConsumer);
        kafkaConsumer.assign(partitions);
        kafkaConsumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(kafkaConsumer.endOffsets(partitions));
        long replayed = 0;
        while (running.get()) {
            ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(POLL);
            for (ConsumerRecord<String, byte[]> record : records) {
                apply(record);
            }
            replayed += records.count();
            boolean justCaughtUp = false;
            if (!caughtUp) {
                end.entrySet().removeIf(partition -> kafkaConsumer.position(partition.getKey())
                        >= partition.getValue());
                if (end.isEmpty()) {
                    caughtUp = true;
                    justCaughtUp = true;
                    LOG.infof("fleet state rebuilt from %d records of %s", replayed, TOPICS);
                }
            }
            if (!records.isEmpty() || justCaughtUp) {
                afterBatch.run();
            }
        }
    }

    /** Every partition of the three topics; waits for topics that do not exist yet (being provisioned). */
    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> kafkaConsumer) {
        while (running.get()) {
            List<TopicPartition> partitions = new ArrayList<>();
            Set<String> missing = new TreeSet<>();
            for (String topic : TOPICS) {
                List<PartitionInfo> infos = kafkaConsumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    missing.add(topic);
                } else {
                    infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
                }
            }
            if (missing.isEmpty()) {
                return partitions;
            }
            LOG.infof("waiting for topics %s", missing);
            sleep(RETRY);
        }
        throw new WakeupException();
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case Topics.MASTERS -> applyMaster(record);
                case Topics.DEPLOY_REQUESTS -> {
                    if (record.value() == null) {
                        fleet.onDeployRequestRemoved(record.key());
                    } else {
                        fleet.onDeployRequest(EventCodec.decode(record.value(), DeployRequest.class));
                    }
                }
                case Topics.DEPLOY_RESULTS -> {
                    if (record.value() == null) {
                        fleet.onDeployResultRemoved(record.key());
                    } else {
                        DeployResult result = EventCodec.decode(record.value(), DeployResult.class);
                        if (result.masterId() == null || result.environment() == null || result.status() == null) {
                            throw new EventDecodingException("masterId, environment and status are required");
                        }
                        fleet.onDeployResult(result);
                    }
                }
                case Topics.MASTER_STATUS -> {
                    if (record.key() != null) {
                        fleet.onStatusRecord(record.key(), record.value() == null);
                    }
                }
                default -> LOG.debugf("ignoring record of %s", record.topic());
            }
        } catch (EventDecodingException e) {
            LOG.warnf("skipping malformed record %s-%d@%d (key %s): %s", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
        }
    }

    private void applyMaster(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                fleet.onDecommission(record.key());
            }
            return;
        }
        MasterAnnouncement announcement = EventCodec.decode(record.value(), MasterAnnouncement.class);
        if (announcement.masterId() == null || !announcement.masterId().matches(MasterIdPattern.REGEX)
                || announcement.state() == null) {
            throw new EventDecodingException("a valid masterId and a state are required");
        }
        fleet.onAnnouncement(announcement);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        Set<String> known = ConsumerConfig.configNames();
        kafka.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "momentum-health-monitor-feed");
        return config;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
