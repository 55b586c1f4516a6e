package io.momentum.lb.domain;

/** What the load balancer does with one master. */
public enum ServerState {
    /** Routable: receives new connections. */
    ACTIVE,
    /** Leaving: no new connections, established ones finish. */
    DRAINING,
    /** Known but not routable (down, or behind under the strict policy): no traffic at all. */
    MAINT
}
