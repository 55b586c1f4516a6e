package io.momentum.agent.schedule;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Rollout;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest activation per environment, as {@code momentum.rollouts} tells it: whether a staged plan may go live
 * on this master. Only the latest counts: a HALTED rollout, or one of another plan, switches nothing.
 */
final class Activations {

    private final Map<String, Activation> latest = new ConcurrentHashMap<>();
    private final String masterId;

    Activations(String masterId) {
        this.masterId = masterId;
    }

    /** Whether the plan waits for an activation before going live (FLEET, CANARY) rather than going live at once. */
    static boolean rolledOut(DeployPlan plan) {
        return plan.rollout() != Rollout.IMMEDIATE;
    }

    void record(Activation activation) {
        latest.put(activation.environment(), activation);
    }

    /**
     * The activation that makes this plan live on this master now, if the environment's latest one does. It must
     * name this plan's request as well as its content: an old ALL for the same digest (a rollback to that plan)
     * must not skip the new rollout, as health-monitor and webhook-service read it the same way.
     */
    Optional<Activation> switching(DeployPlan plan) {
        Activation activation = latest.get(plan.environment());
        return activation != null && activation.requestId().equals(plan.requestId())
                && activation.digest().equals(plan.digest()) && activation.activates(masterId)
                ? Optional.of(activation) : Optional.empty();
    }
}
