package io.momentum.service.kafka;

import io.momentum.service.config.TopicConfig;
import io.momentum.shared.kafka.TopicProvisioner;
import io.momentum.shared.kafka.TopicSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Creates the SPEC topics that are missing before the service's channels start, with the same Kafka client
 * settings ({@code kafka.*}) as the channels, TLS and SASL included. A broker that cannot be reached is logged, not
 * fatal: the channels retry, and readiness reports the broker down.
 */
@ApplicationScoped
public class TopicProvisioning {

    private static final Logger LOG = Logger.getLogger(TopicProvisioning.class);

    @Inject
    TopicConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    void onStart(@Observes StartupEvent event) {
        if (!config.provision()) {
            return;
        }
        TopicSettings settings = new TopicSettings(config.partitions(), config.replicationFactor(),
                config.minInsyncReplicas(), config.lbChangesRetention());
        try {
            new TopicProvisioner(adminConfig(), settings).provision();
        } catch (RuntimeException e) {
            LOG.warnf("could not provision topics (the broker may not be up yet): %s", e.getMessage());
        }
    }

    /** The admin client accepts only admin settings; drop the consumer and producer ones Quarkus adds. */
    private Map<String, Object> adminConfig() {
        Map<String, Object> admin = new java.util.HashMap<>();
        java.util.Set<String> known = org.apache.kafka.clients.admin.AdminClientConfig.configNames();
        kafkaConfig.forEach((key, value) -> {
            if (known.contains(key)) {
                admin.put(key, value);
            }
        });
        return admin;
    }
}
