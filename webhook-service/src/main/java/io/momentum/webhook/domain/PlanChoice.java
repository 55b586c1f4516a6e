package io.momentum.webhook.domain;

import io.momentum.shared.event.DeployPlan;

/** Which plan an operator's call acts on (a rollback's target, the pinned plan an unpin replaces), or why none. */
public sealed interface PlanChoice {

    record Chosen(DeployPlan plan) implements PlanChoice {
    }

    /** The environment, or the plan named, is not known here. */
    record Unknown(String reason) implements PlanChoice {
    }

    /** Known, but the call makes no sense in the environment's present state. */
    record Refused(String reason) implements PlanChoice {
    }
}
