package io.momentum.agent.plan;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Rollout;
import java.util.Map;

/**
 * How each plan reaches the fleet ({@code momentum.planner.rollout.*}): the environment's own rollout, else its
 * source's, else the default. Chosen when a plan is made; a rollback re-publishes an older plan with the rollout it
 * had.
 *
 * @param fallback the rollout of plans neither map names
 * @param bySource rollout per source name (momentum.sources)
 * @param byEnvironment rollout per environment name; beats the source's
 */
public record RolloutPolicy(Rollout fallback, Map<String, Rollout> bySource, Map<String, Rollout> byEnvironment) {

    /** Every plan switches as soon as a master has it (the behaviour before rollouts). */
    public static final RolloutPolicy IMMEDIATE = new RolloutPolicy(Rollout.IMMEDIATE, Map.of(), Map.of());

    public RolloutPolicy {
        bySource = Map.copyOf(bySource);
        byEnvironment = Map.copyOf(byEnvironment);
    }

    static RolloutPolicy of(PlannerConfig.RolloutConfig config) {
        return new RolloutPolicy(config.defaultRollout(), config.sources(), config.environments());
    }

    public Rollout choose(String source, String environment) {
        Rollout chosen = byEnvironment.get(environment);
        if (chosen == null && source != null) {
            chosen = bySource.get(source);
        }
        return chosen == null ? fallback : chosen;
    }

    /** A PLANNED plan with its chosen rollout; any other plan as it is (nothing is rolled out). */
    public DeployPlan apply(DeployPlan plan) {
        if (plan.status() != PlanStatus.PLANNED) {
            return plan;
        }
        Rollout rollout = choose(plan.source(), plan.environment());
        return rollout == plan.rollout() ? plan : new DeployPlan(plan.requestId(), plan.environment(), plan.status(),
                plan.digest(), plan.source(), plan.branch(), plan.commit(), plan.modules(), rollout, plan.pinned(),
                plan.error(), plan.plannedAt());
    }
}
