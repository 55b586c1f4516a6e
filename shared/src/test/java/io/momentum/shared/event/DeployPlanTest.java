package io.momentum.shared.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeployPlanTest {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER = "89abcdef0123456789abcdef0123456789abcdef";
    static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    static PlannedModule stdlib(String sha) {
        return new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT,
                "https://git.example.net/stdlib.git", "main", sha, null, false);
    }

    @Test
    void theDigestNamesTheContentNotTheRequestOrTheEnvironment() {
        DeployPlan production = DeployPlan.planned(UUID.randomUUID(), "production", "control", "production", COMMIT,
                List.of(stdlib(COMMIT)), Rollout.IMMEDIATE, T0);
        DeployPlan staging = DeployPlan.planned(UUID.randomUUID(), "staging", "control", "staging", COMMIT,
                List.of(stdlib(COMMIT)), Rollout.FLEET, T0.plusSeconds(5));
        assertThat(production.digest()).hasSize(64).isEqualTo(staging.digest());
    }

    @Test
    void aModuleAtAnotherCommitIsAnotherPlan() {
        String one = DeployPlan.digestOf(COMMIT, List.of(stdlib(COMMIT)));
        assertThat(DeployPlan.digestOf(COMMIT, List.of(stdlib(OTHER)))).isNotEqualTo(one);
        assertThat(DeployPlan.digestOf(OTHER, List.of(stdlib(COMMIT)))).isNotEqualTo(one);
        assertThat(DeployPlan.digestOf(COMMIT, List.of())).isNotEqualTo(one);
    }

    @Test
    void onlyPlannedPlansHaveADigestAndTheKeyIsTheEnvironment() {
        UUID id = UUID.randomUUID();
        assertThat(DeployPlan.failed(id, "production", "control", "production", COMMIT, "boom", T0).digest()).isNull();
        DeployPlan absent = DeployPlan.absent(id, "feature_x", "control", "feature/x", T0);
        assertThat(absent.digest()).isNull();
        assertThat(absent.key()).isEqualTo("env:feature_x");
        assertThat(absent.rollout()).isEqualTo(Rollout.IMMEDIATE);
    }

    @Test
    void aReactivatedPlanIsPinnedUnderItsNewRequest() {
        DeployPlan plan = DeployPlan.planned(UUID.randomUUID(), "production", "control", "production", COMMIT,
                List.of(stdlib(COMMIT)), Rollout.IMMEDIATE, T0);
        UUID rollback = UUID.randomUUID();
        DeployPlan again = plan.reactivated(rollback, T0.plusSeconds(60));
        assertThat(again.pinned()).isTrue();
        assertThat(again.requestId()).isEqualTo(rollback);
        assertThat(again.digest()).isEqualTo(plan.digest());
        assertThat(again.modules()).isEqualTo(plan.modules());
    }
}
