package io.momentum.health.domain;

import java.util.List;
import java.util.Map;

/**
 * Decides which masters the load balancer routes to. It sees the whole fleet so it can keep a floor. Which one runs
 * is {@code momentum.health.policy}: the config package offers each as a bean with its name.
 */
public interface RoutingPolicy {

    /** One verdict per assessed master, keyed by master id. */
    Map<String, Verdict> decide(List<Assessment> fleet);

    static String lagging(Assessment master) {
        return String.join(", ", master.laggingEnvironments());
    }
}
