package io.momentum.shared.event;

/** How a plan reaches the fleet. */
public enum Rollout {
    /** Every master switches as soon as it has the new version. */
    IMMEDIATE,
    /** Every ready master stages the version; one activation switches them all. */
    FLEET,
    /** One master (or group) switches first, the others follow in batches after a healthy soak time. */
    CANARY
}
