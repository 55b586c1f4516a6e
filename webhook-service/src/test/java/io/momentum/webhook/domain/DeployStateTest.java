package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.Provider;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeployStateTest {

    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final DeployState state = new DeployState();

    static MasterAnnouncement master(String id, MasterState s) {
        return new MasterAnnouncement(id, MasterRole.COMPILE, "https://" + id + ":8140", id + ":8140", s, "1",
                NOW, NOW, 10_000);
    }

    static DeployResult result(DeployRequest request, String master, DeployStatus status) {
        return DeployResult.of(request.requestId(), master, request.environment(), SHA, status, NOW, NOW,
                ModuleCounts.NONE, null);
    }

    @Test
    void waitEndsWhenEveryReadyMasterReported() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        state.onMaster("cm3", master("cm3", MasterState.JOINING));
        DeployRequest request = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.MANUAL, NOW);
        state.onRequest(request);
        CompletableFuture<Void> done = state.awaitResults(Set.of(request.requestId()));
        state.onResult(result(request, "cm1", DeployStatus.SUCCEEDED));
        assertThat(done).isNotDone();
        assertThat(state.request(request.requestId()).orElseThrow().pendingMasters()).containsExactly("cm2");
        state.onResult(result(request, "cm2", DeployStatus.FAILED));
        assertThat(done).isDone();
        assertThat(state.request(request.requestId()).orElseThrow().results()).hasSize(2);
    }

    @Test
    void aMasterThatLeavesNoLongerHoldsTheWait() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        DeployRequest request = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.MANUAL, NOW);
        CompletableFuture<Void> done = state.awaitResults(Set.of(request.requestId()));
        state.onResult(result(request, "cm1", DeployStatus.SUCCEEDED));
        state.onMaster("cm2", null);
        assertThat(done).isDone();
    }

    @Test
    void environmentMatrixComparesDesiredAndDeployed() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        DeployRequest request = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.GITHUB, NOW);
        state.onRequest(request);
        state.onResult(result(request, "cm1", DeployStatus.SUCCEEDED));
        assertThat(state.environments()).singleElement().satisfies(row -> {
            assertThat(row.desiredCommit()).isEqualTo(SHA);
            assertThat(row.masters()).extracting(DeployState.MasterCell::inSync).containsExactly(true, false);
        });
    }
}
