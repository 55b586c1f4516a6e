package io.momentum.agent.schedule;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One plan to carry out on its environment; {@code done} completes once its results are stored (exceptionally when
 * the agent stopped first: the plan is still desired, so the next start carries it out).
 */
record Job(Action action, DeployPlan plan, CompletableFuture<Done> done) {

    enum Action {
        /** Make an IMMEDIATE plan live. */
        DEPLOY,
        /** Stage a FLEET or CANARY plan (answered STAGED), and switch it live if its activation came already. */
        STAGE,
        /** Switch a staged plan live: its activation came (staged first if it is not yet). */
        SWITCH,
        PURGE
    }

    /**
     * How a job ended.
     *
     * @param results what to publish, in order: none (a switch with nothing to do), one, or STAGED and then what
     *     the switch that followed at once did
     * @param controlUnreachable the control repository could not be fetched: this master's problem, not the plan's
     */
    record Done(List<DeployResult> results, boolean controlUnreachable) {

        static final Done NOTHING = new Done(List.of(), false);

        Done {
            results = List.copyOf(results);
        }

        static Done of(DeployResult result, boolean controlUnreachable) {
            return new Done(List.of(result), controlUnreachable);
        }

        /** The result that says how the job ended (null: nothing to say). */
        DeployResult last() {
            return results.isEmpty() ? null : results.get(results.size() - 1);
        }
    }

    UUID requestId() {
        return plan.requestId();
    }

    String environment() {
        return plan.environment();
    }
}
