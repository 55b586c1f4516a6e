package io.momentum.agent.plan;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest plan of every environment, as {@code momentum.deploy-plans} holds it: what the planner plans against.
 * Rebuilt on every start by replaying that topic, and told of each plan this agent published as soon as Kafka stored
 * it (the replay delivers it again later, which changes nothing). Also remembers each environment's latest PLANNED
 * plan, which a FAILED plan does not replace on the masters: the Forge versions it installed stay r10k's "installed
 * version" for modules declared without one.
 */
public final class PlanBook {

    private final Map<String, DeployPlan> latest = new ConcurrentHashMap<>();
    private final Map<String, DeployPlan> lastPlanned = new ConcurrentHashMap<>();

    /** Applies one record of the plans topic; {@code plan} null is a tombstone: the environment is forgotten. */
    public void apply(String environment, DeployPlan plan) {
        if (plan == null) {
            latest.remove(environment);
            lastPlanned.remove(environment);
            return;
        }
        latest.put(environment, plan);
        if (plan.status() == PlanStatus.PLANNED) {
            lastPlanned.put(environment, plan);
        } else if (plan.status() == PlanStatus.ABSENT) {
            lastPlanned.remove(environment);
        }
    }

    public void record(DeployPlan plan) {
        apply(plan.environment(), plan);
    }

    public Optional<DeployPlan> latest(String environment) {
        return Optional.ofNullable(latest.get(environment));
    }

    /** The environment's latest PLANNED plan, unless it became ABSENT since; null when there is none. */
    public DeployPlan lastPlanned(String environment) {
        return lastPlanned.get(environment);
    }

    /** Every environment's latest plan, by name. */
    public Map<String, DeployPlan> all() {
        return new TreeMap<>(latest);
    }
}
