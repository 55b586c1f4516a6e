package io.momentum.webhook;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything on {@code momentum.deploy-requests} (or {@code momentum.deploy-plans}) up to now. The service answers
 * only after the broker acknowledged, so once an answer is in, what is not on the topic was not published.
 */
public final class TopicRecords {

    private TopicRecords() {
    }

    public static List<ConsumerRecord<String, String>> deployRequests(String bootstrap,
            Predicate<ConsumerRecord<String, String>> filter) {
        return records(bootstrap, Topics.DEPLOY_REQUESTS, filter);
    }

    /** The plans published under {@code env:<environment>}. */
    public static List<DeployPlan> deployPlans(String bootstrap, String environment) {
        return records(bootstrap, Topics.DEPLOY_PLANS, r -> DeployPlan.key(environment).equals(r.key())
                && r.value() != null).stream().map(r -> EventCodec.decode(r.value(), DeployPlan.class)).toList();
    }

    private static List<ConsumerRecord<String, String>> records(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, String>> filter) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                });
            }
            return out;
        }
    }

    public static List<ConsumerRecord<String, String>> withDelivery(String bootstrap, String deliveryId) {
        return deployRequests(bootstrap, r -> r.value() != null
                && Objects.equals(EventCodec.decode(r.value(), DeployRequest.class).deliveryId(), deliveryId));
    }

    public static DeployRequest decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(record.value(), DeployRequest.class);
    }
}
