package io.momentum.health.domain;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.Provider;
import java.time.Instant;
import java.util.UUID;

/** Event builders shared by the domain tests. */
final class FleetFixture {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final String COMMIT_A = "a".repeat(40);
    static final String COMMIT_B = "b".repeat(40);

    private FleetFixture() {
    }

    static MasterAnnouncement announce(String id, MasterState state, Instant heartbeatAt) {
        return new MasterAnnouncement(id, MasterRole.COMPILE, "https://" + id + ".example.net:8140",
                id + ".example.net:8140", state, "1.0", T0, heartbeatAt, 10_000);
    }

    static DeployRequest push(String environment, String commit) {
        return DeployRequest.environment(environment, environment, "control", "git@example.net:control.git",
                commit, Provider.GITHUB, T0);
    }

    static DeployResult deployed(DeployRequest request, String masterId, String commit) {
        return DeployResult.of(request.requestId(), masterId, request.environment(), commit, DeployStatus.SUCCEEDED,
                T0, T0.plusSeconds(3), null, null);
    }

    static DeployResult result(String masterId, String environment, String commit, DeployStatus status) {
        return DeployResult.of(UUID.randomUUID(), masterId, environment, commit, status, T0, T0.plusSeconds(3),
                null, status == DeployStatus.FAILED ? "boom" : null);
    }
}
