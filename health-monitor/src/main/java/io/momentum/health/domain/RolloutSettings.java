package io.momentum.health.domain;

import java.time.Duration;
import java.util.List;

/**
 * How FLEET and CANARY rollouts are coordinated.
 *
 * @param stageTimeout how long after a plan was planned every master it waits for must have staged it
 * @param onStageTimeout what happens to masters that did not stage in time
 * @param canaryMasters the masters that switch first in a CANARY rollout; empty: the first READY, UP compile master
 *     by id
 * @param soak how long the switched masters must stay healthy before the next ones switch
 * @param batchSize how many more masters switch after each healthy soak
 */
public record RolloutSettings(Duration stageTimeout, StageTimeoutPolicy onStageTimeout, List<String> canaryMasters,
        Duration soak, int batchSize) {

    public RolloutSettings {
        canaryMasters = List.copyOf(canaryMasters);
        if (stageTimeout.isNegative() || stageTimeout.isZero()) {
            throw new IllegalArgumentException("the stage timeout must be positive");
        }
        if (soak.isNegative()) {
            throw new IllegalArgumentException("the soak time must not be negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1");
        }
    }

    /** Two minutes to stage, then proceed; the default canary soaks a minute; batches of one. */
    public static RolloutSettings defaults() {
        return new RolloutSettings(Duration.ofMinutes(2), StageTimeoutPolicy.PROCEED, List.of(),
                Duration.ofSeconds(60), 1);
    }
}
