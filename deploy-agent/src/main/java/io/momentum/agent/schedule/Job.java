package io.momentum.agent.schedule;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One plan to carry out on its environment; {@code done} completes once its result is stored (exceptionally when
 * the agent stopped first: the plan is still desired, so the next start carries it out).
 */
record Job(Action action, DeployPlan plan, CompletableFuture<Done> done) {

    enum Action {
        DEPLOY,
        PURGE
    }

    /**
     * How a job ended.
     *
     * @param controlUnreachable the control repository could not be fetched: this master's problem, not the plan's
     */
    record Done(DeployResult result, boolean controlUnreachable) {
    }

    UUID requestId() {
        return plan.requestId();
    }

    String environment() {
        return plan.environment();
    }
}
