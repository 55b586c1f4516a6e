package io.momentum.agent.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings for the agent's own consumer and producer, taken from the application's {@code kafka.*} settings
 * (bootstrap servers, TLS, SASL) with the agent's guarantees on top, which configuration cannot weaken.
 */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    /** Each master consumes in a group of its own, so that every master sees every request. */
    public static String groupId(String masterId) {
        return "momentum-agent-" + masterId;
    }

    public static Map<String, Object> consumer(Map<String, Object> kafka, String masterId) {
        Map<String, Object> config = only(kafka, ConsumerConfig.configNames());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(masterId));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId(masterId));
        // Offsets are committed by hand once a request's results are stored.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new master's group has no offsets: replay the compacted topic from its start.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.StringDeserializer");
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return config;
    }

    public static Map<String, Object> producer(Map<String, Object> kafka, String masterId) {
        Map<String, Object> config = only(kafka, ProducerConfig.configNames());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "momentum-agent-" + masterId + "-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.StringSerializer");
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.momentum.service.kafka.EventSerializer");
        return config;
    }

    private static Map<String, Object> only(Map<String, Object> kafka, Set<String> known) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
