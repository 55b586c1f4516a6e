package io.momentum.agent.plan;

import io.momentum.shared.event.DeployPlan;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes plans on {@code momentum.deploy-plans}, keyed {@code env:<environment>} (channel {@code deploy-plans}:
 * {@code acks=all}, idempotent). The stage completes once the broker stored the plan.
 */
@ApplicationScoped
public class PlanPublisher implements PlanSink {

    @Inject
    @Channel("deploy-plans")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<Record<String, DeployPlan>> plans;

    @Override
    public CompletionStage<Void> publish(DeployPlan plan) {
        try {
            return plans.send(Record.of(plan.key(), plan));
        } catch (RuntimeException e) {
            // A full buffer (the broker unreachable for long) fails the stage instead of throwing at the caller.
            return CompletableFuture.failedFuture(e);
        }
    }
}
