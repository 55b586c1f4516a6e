package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterStatusesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");

    private final MasterStatuses statuses = new MasterStatuses();

    static MasterStatus status(String masterId, Health health, String reason) {
        return new MasterStatus(masterId, MasterRole.COMPILE, masterId + ":8140", health, health == Health.UP,
                List.of(), health == Health.UP, false, reason, health == Health.UP ? 0 : 3, 12L, NOW);
    }

    @Test
    void theLatestStatusOfEachMasterSortedByMasterId() {
        statuses.onStatus("cm2", status("cm2", Health.UP, "healthy"));
        statuses.onStatus("cm1", status("cm1", Health.UP, "healthy"));
        statuses.onStatus("cm2", status("cm2", Health.DOWN, "puppetserver: connection refused"));

        assertThat(statuses.all()).extracting(MasterStatus::masterId, MasterStatus::health, MasterStatus::reason)
                .containsExactly(tuple("cm1", Health.UP, "healthy"),
                        tuple("cm2", Health.DOWN, "puppetserver: connection refused"));
    }

    @Test
    void aTombstoneForgetsTheMaster() {
        statuses.onStatus("cm1", status("cm1", Health.UP, "healthy"));
        statuses.onStatus("cm1", null);

        assertThat(statuses.all()).isEmpty();
    }
}
