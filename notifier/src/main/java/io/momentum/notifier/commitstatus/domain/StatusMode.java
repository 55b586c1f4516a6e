package io.momentum.notifier.commitstatus.domain;

/** How a deploy shows on its commit. */
public enum StatusMode {
    /** One status per master, context {@code momentum/<master>}. */
    PER_MASTER,
    /** One status for the whole fleet, context {@code momentum}, naming each master in its description. */
    AGGREGATE
}
