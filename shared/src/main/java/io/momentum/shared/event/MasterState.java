package io.momentum.shared.event;

public enum MasterState {
    /** Started, still catching up on environments: never routable. */
    JOINING,
    /** Caught up and deploying as requests arrive. */
    READY,
    /** Shutting down: drained from the load balancer. */
    LEAVING
}
