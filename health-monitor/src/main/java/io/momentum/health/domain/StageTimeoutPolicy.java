package io.momentum.health.domain;

/** What a FLEET or CANARY rollout does when masters have not staged its plan within the stage timeout. */
public enum StageTimeoutPolicy {
    /**
     * Activate anyway: the masters that did not stage switch once they have, and until then they are not in sync, so
     * strict routing keeps them out.
     */
    PROCEED,
    /** Activate nothing more and show why; the rollout continues if the missing masters stage after all. */
    HOLD
}
