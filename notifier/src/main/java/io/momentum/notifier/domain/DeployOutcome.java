package io.momentum.notifier.domain;

/** How a deploy request ended, over every master. */
public enum DeployOutcome {
    /** Every READY master deployed (or purged) it. */
    SUCCEEDED,
    /** Planning failed, or at least one master failed. */
    FAILED,
    /** Some READY masters did not report within the deploy timeout. */
    TIMED_OUT,
    /** Every master that reported had a newer request for the environment first. */
    SUPERSEDED
}
