package io.momentum.lb.messaging;

import io.momentum.lb.LbService;
import io.momentum.lb.config.LbConfig;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.shared.json.EventDecodingException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Reads momentum.master-status from the beginning on every start. All partitions are assigned to this instance
 * (no group rebalancing: two load balancers with the same lbId must never split the fleet between them) and no
 * offsets are committed, so the state is always rebuilt from the compacted topic. The service is told when the
 * replay reached the end offsets seen at start, so that it applies the complete fleet, not a partial one.
 */
@ApplicationScoped
public class MasterStatusConsumer {

    private static final Logger LOG = Logger.getLogger(MasterStatusConsumer.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(60);

    @Inject
    LbService service;

    @Inject
    LbConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "lb-master-status");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(5000);
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig())) {
            consumer = kafka;
            Map<TopicPartition, Long> replayEnd = new HashMap<>();
            long nextRefresh = 0;
            while (running) {
                try {
                    if (System.nanoTime() >= nextRefresh) {
                        assignNewPartitions(kafka, replayEnd);
                        nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
                    }
                    if (kafka.assignment().isEmpty()) {
                        Thread.sleep(1000);
                        nextRefresh = 0;
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                        handle(record);
                    }
                    if (!service.caughtUp() && replayEnd.entrySet().stream()
                            .allMatch(end -> kafka.position(end.getKey()) >= end.getValue())) {
                        service.onCaughtUp();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("master-status consumer: %s; retrying", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("master-status consumer woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void assignNewPartitions(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> replayEnd) {
        List<PartitionInfo> infos;
        try {
            infos = kafka.partitionsFor(Topics.MASTER_STATUS, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warnf("cannot list partitions of %s yet: %s", Topics.MASTER_STATUS, e.getMessage());
            return;
        }
        Set<TopicPartition> all = new HashSet<>();
        infos.forEach(info -> all.add(new TopicPartition(info.topic(), info.partition())));
        Set<TopicPartition> added = new HashSet<>(all);
        added.removeAll(kafka.assignment());
        if (added.isEmpty()) {
            return;
        }
        kafka.assign(all);
        kafka.seekToBeginning(added);
        if (!service.caughtUp()) {
            replayEnd.putAll(kafka.endOffsets(added));
        }
        LOG.infof("reading %s from the beginning: partitions %s", Topics.MASTER_STATUS, added);
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            service.onStatus(record.key(), null);
            return;
        }
        try {
            service.onStatus(record.key(), EventCodec.decode(record.value(), MasterStatus.class));
        } catch (EventDecodingException e) {
            LOG.warnf("skipping malformed record %s-%d@%d (key %s): %s", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> settings = new HashMap<>();
        Set<String> known = ConsumerConfig.configNames();
        kafkaConfig.forEach((key, value) -> {
            if (known.contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "momentum-lb-" + config.lbId());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "momentum-lb-" + config.lbId());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return settings;
    }
}
