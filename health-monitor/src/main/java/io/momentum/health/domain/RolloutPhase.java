package io.momentum.health.domain;

/** How far the rollout of an environment's FLEET or CANARY plan is, as the REST view shows it. */
public enum RolloutPhase {
    /** Waiting for masters to stage the plan; nothing (more) is activated yet. */
    STAGING,
    /** The canary masters are activated; waiting for them to switch. */
    CANARY,
    /** Every activated master switched; its Puppet Server must stay healthy for the soak time. */
    SOAKING,
    /** One more batch is activated; waiting for it to switch. */
    BATCH,
    /** Every master is activated: the rollout is done. */
    ALL,
    /** The rollout stopped; the masters not switched stay on the previous plan. */
    HALTED,
    /** Masters did not stage within the stage timeout and {@code on-stage-timeout=hold}: nothing is activated. */
    HELD
}
