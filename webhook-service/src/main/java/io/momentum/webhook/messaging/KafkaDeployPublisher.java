package io.momentum.webhook.messaging;

import io.momentum.shared.event.DeployRequest;
import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes deploy requests on the {@code deploy-requests} channel ({@code acks=all}, idempotent: see
 * application.properties), so that the answer to a webhook can wait for the broker's acknowledgement and give up
 * after {@code momentum.webhook.publish-timeout}.
 */
@ApplicationScoped
public class KafkaDeployPublisher implements DeployPublisher {

    static final String DELIVERY_TIMEOUT = "mp.messaging.outgoing.deploy-requests.delivery.timeout.ms";

    @Inject
    @Channel("deploy-requests")
    MutinyEmitter<Record<String, DeployRequest>> emitter;

    @Inject
    WebhookConfig config;

    @Inject
    DeployState state;

    @ConfigProperty(name = DELIVERY_TIMEOUT)
    long deliveryTimeoutMs;

    /**
     * A record the producer still retries after the hook was answered 503 would be stored twice once the git host
     * redelivers, so the producer must give up first.
     */
    void check(@Observes StartupEvent event) {
        Acknowledgements.requireGivingUpInTime(DELIVERY_TIMEOUT, deliveryTimeoutMs, config.publishTimeout());
    }

    @Override
    public CompletionStage<Void> publish(List<DeployRequest> requests) {
        return Acknowledgements.all(() -> requests.stream().map(r -> emitter.send(Record.of(r.key(), r))).toList(),
                config.publishTimeout(), () -> requests.forEach(state::onRequest));
    }
}
