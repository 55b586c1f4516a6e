package io.momentum.health.domain;

import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterRole;
import java.time.Instant;

/**
 * A known master as a rollout sees it.
 *
 * @param ready announced READY and heartbeating: it stages plans and is waited for
 * @param health this monitor's verdict, or {@code null} before the first one (e.g. right after a restart)
 * @param downAt the latest probe that found it DOWN, or {@code null}
 */
record RolloutMaster(String id, MasterRole role, boolean ready, Health health, Instant downAt) {

    boolean up() {
        return health == Health.UP;
    }

    boolean downSince(Instant since) {
        return health == Health.DOWN || downAt != null && !downAt.isBefore(since);
    }
}
