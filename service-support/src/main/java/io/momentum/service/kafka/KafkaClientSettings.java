package io.momentum.service.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place where a service's own Kafka clients (those that are not SmallRye channels) get their settings: the
 * application's {@code kafka.*} configuration (bootstrap servers, TLS, SASL), which Quarkus exposes as the
 * {@code default-kafka-broker} map, filtered to what each client type accepts, with the caller's settings on top.
 */
@ApplicationScoped
public class KafkaClientSettings {

    private final Map<String, Object> kafka;

    @Inject
    public KafkaClientSettings(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    public Map<String, Object> consumer(Map<String, Object> overrides) {
        return only(ConsumerConfig.configNames(), overrides);
    }

    public Map<String, Object> producer(Map<String, Object> overrides) {
        return only(ProducerConfig.configNames(), overrides);
    }

    public Map<String, Object> admin() {
        return only(AdminClientConfig.configNames(), Map.of());
    }

    private Map<String, Object> only(Set<String> known, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        config.putAll(overrides);
        return config;
    }
}
