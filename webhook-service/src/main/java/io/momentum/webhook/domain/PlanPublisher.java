package io.momentum.webhook.domain;

import io.momentum.shared.event.DeployPlan;
import java.util.concurrent.CompletionStage;

/** Stores deploy plans durably: how a rollback re-activates an earlier plan on every master. */
public interface PlanPublisher {

    /**
     * Publishes the plan under its {@link DeployPlan#key()}.
     *
     * @return completes once the broker acknowledged it, exceptionally when it could not be stored within the
     *     configured time
     */
    CompletionStage<Void> publish(DeployPlan plan);
}
