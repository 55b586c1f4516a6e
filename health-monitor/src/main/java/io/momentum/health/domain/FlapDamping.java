package io.momentum.health.domain;

import java.time.Duration;

/**
 * Holds a master out of the load balancer when its health keeps changing: more than {@code maxChanges} UP/DOWN
 * changes within {@code window} hold it down until its health has not changed for {@code stableFor}.
 *
 * @param maxChanges 0 turns damping off
 */
public record FlapDamping(int maxChanges, Duration window, Duration stableFor) {

    public FlapDamping {
        if (maxChanges < 0) {
            throw new IllegalArgumentException("flap max-changes must not be negative");
        }
        if (window.isNegative() || window.isZero() || stableFor.isNegative()) {
            throw new IllegalArgumentException("flap window must be positive and stable-for not negative");
        }
    }

    public static FlapDamping off() {
        return new FlapDamping(0, Duration.ofMinutes(1), Duration.ZERO);
    }

    public boolean enabled() {
        return maxChanges > 0;
    }
}
