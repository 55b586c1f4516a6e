package io.momentum.webhook.messaging;

import io.momentum.shared.event.DeployPlan;
import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.PlanPublisher;
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
 * Publishes deploy plans (rollbacks) on the {@code deploy-plans} channel ({@code acks=all}, idempotent: see
 * application.properties), so that the answer can wait for the broker's acknowledgement and give up after
 * {@code momentum.webhook.publish-timeout}, as {@link KafkaDeployPublisher} does for requests.
 */
@ApplicationScoped
public class KafkaPlanPublisher implements PlanPublisher {

    static final String DELIVERY_TIMEOUT = "mp.messaging.outgoing.deploy-plans.delivery.timeout.ms";

    @Inject
    @Channel("deploy-plans")
    MutinyEmitter<Record<String, DeployPlan>> emitter;

    @Inject
    WebhookConfig config;

    @Inject
    DeployState state;

    @ConfigProperty(name = DELIVERY_TIMEOUT)
    long deliveryTimeoutMs;

    /** A rollback answered 503 must not be stored later, when the operator may already have asked again. */
    void check(@Observes StartupEvent event) {
        Acknowledgements.requireGivingUpInTime(DELIVERY_TIMEOUT, deliveryTimeoutMs, config.publishTimeout());
    }

    @Override
    public CompletionStage<Void> publish(DeployPlan plan) {
        return Acknowledgements.all(() -> List.of(emitter.send(Record.of(plan.key(), plan))),
                config.publishTimeout(), () -> state.onPlanStored(plan));
    }
}
