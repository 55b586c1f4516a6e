package io.momentum.shared.event;

public enum DeployKind {
    /** Deploy one environment (a branch of a control repository). */
    ENVIRONMENT,
    /** Redeploy one Puppetfile module in every environment that uses it. */
    MODULE,
    /** Deploy every environment of every source. */
    FULL_SYNC
}
