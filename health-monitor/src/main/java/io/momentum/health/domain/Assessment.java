package io.momentum.health.domain;

import java.util.List;

/**
 * What the monitor knows about one master before a routing policy decides.
 *
 * @param eligible healthy, announced READY (or configured only), heartbeating and not held down: the policy may
 *     route it
 * @param blocker why it is not eligible, or {@code null} when it is
 * @param laggingEnvironments environments not at their desired plan; empty means in sync
 */
public record Assessment(String masterId, boolean eligible, String blocker, List<String> laggingEnvironments) {

    public Assessment {
        laggingEnvironments = List.copyOf(laggingEnvironments);
    }

    public boolean inSync() {
        return laggingEnvironments.isEmpty();
    }
}
