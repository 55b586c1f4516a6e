package io.momentum.health.domain;

import java.util.List;
import java.util.Map;

/** Decides which masters the load balancer routes to. It sees the whole fleet so it can keep a floor. */
public interface RoutingPolicy {

    /** The configuration name of the policy ({@code momentum.health.policy}). */
    String name();

    /** One verdict per assessed master, keyed by master id. */
    Map<String, Verdict> decide(List<Assessment> fleet);

    static RoutingPolicy named(String name) {
        return switch (name) {
            case ServeStalePolicy.NAME -> new ServeStalePolicy();
            case StrictPolicy.NAME -> new StrictPolicy();
            default -> throw new IllegalArgumentException("unknown routing policy '" + name + "' (expected "
                    + ServeStalePolicy.NAME + " or " + StrictPolicy.NAME + ")");
        };
    }

    static String lagging(Assessment master) {
        return String.join(", ", master.laggingEnvironments());
    }
}
