package io.momentum.notifier.commitstatus.domain;

/** What Momentum says about a commit on its git host; each host maps it to its own state names. */
public enum CommitState {
    /** Requested, or deploying (a STAGED result is still pending: it is not live yet). */
    PENDING,
    SUCCESS,
    FAILURE,
    /** This commit will not go live: a newer push superseded it, or its environment was removed. */
    CANCELED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
