package io.momentum.lb.domain;

import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterStatus;
import java.time.Instant;
import java.util.List;

/** MasterStatus records for tests. */
public final class Statuses {

    private Statuses() {
    }

    public static MasterStatus routable(String masterId, String lbAddress) {
        return status(masterId, MasterRole.COMPILE, lbAddress, true, false);
    }

    public static MasterStatus draining(String masterId, String lbAddress) {
        return status(masterId, MasterRole.COMPILE, lbAddress, false, true);
    }

    public static MasterStatus down(String masterId, String lbAddress) {
        return status(masterId, MasterRole.COMPILE, lbAddress, false, false);
    }

    public static MasterStatus status(String masterId, MasterRole role, String lbAddress, boolean routable,
            boolean draining) {
        return new MasterStatus(masterId, role, lbAddress, routable ? Health.UP : Health.DOWN, true, List.of(),
                routable, draining, routable ? "ok" : "probe failed", 0, 3L, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
