package io.momentum.shared.event;

public enum DeployStatus {
    SUCCEEDED,
    /**
     * The plan's version is written and verified on the master but not live: a FLEET or CANARY rollout waits for
     * its {@link Activation}.
     */
    STAGED,
    FAILED,
    /** A newer request for the same environment arrived before this one ran. */
    SUPERSEDED,
    /** The branch was deleted and its environment removed. */
    PURGED
}
