package io.momentum.shared.event;

public enum DeployStatus {
    SUCCEEDED,
    FAILED,
    /** A newer request for the same environment arrived before this one ran. */
    SUPERSEDED,
    /** The branch was deleted and its environment removed. */
    PURGED
}
