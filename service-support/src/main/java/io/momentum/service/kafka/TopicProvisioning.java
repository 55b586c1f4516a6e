package io.momentum.service.kafka;

import io.momentum.service.config.TopicConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Creates the topics that are missing before the service's channels start, with the same Kafka client settings
 * ({@code kafka.*}) as the channels, TLS and SASL included. A broker that cannot be reached is logged, not fatal:
 * the channels retry, and readiness reports the broker down.
 */
@ApplicationScoped
public class TopicProvisioning {

    private static final Logger LOG = Logger.getLogger(TopicProvisioning.class);

    @Inject
    TopicConfig config;

    @Inject
    KafkaClientSettings kafka;

    void onStart(@Observes StartupEvent event) {
        if (!config.provision()) {
            return;
        }
        TopicSettings settings = new TopicSettings(config.partitions(), config.replicationFactor(),
                config.minInsyncReplicas(), config.lbChangesRetention(), config.planHistory(),
                config.notificationsRetention());
        try {
            new TopicProvisioner(kafka.admin(), settings).provision();
        } catch (RuntimeException e) {
            LOG.warnf("could not provision topics (the broker may not be up yet): %s", e.getMessage());
        }
    }
}
