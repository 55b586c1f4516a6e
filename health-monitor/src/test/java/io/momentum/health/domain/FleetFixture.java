package io.momentum.health.domain;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Event builders shared by the domain tests. */
final class FleetFixture {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final String COMMIT_A = "a".repeat(40);
    static final String COMMIT_B = "b".repeat(40);
    static final String MODULE_SHA_1 = "1".repeat(40);
    static final String MODULE_SHA_2 = "2".repeat(40);

    private FleetFixture() {
    }

    static MasterAnnouncement announce(String id, MasterState state, Instant heartbeatAt) {
        return new MasterAnnouncement(id, MasterRole.COMPILE, "https://" + id + ".example.net:8140",
                id + ".example.net:8140", state, "1.0", T0, heartbeatAt, 10_000);
    }

    /** A plan of {@code commit} with one git module, {@code stdlib}, pinned to {@link #MODULE_SHA_1}. */
    static DeployPlan plan(String environment, String commit) {
        return plan(environment, commit, MODULE_SHA_1);
    }

    /** A plan of {@code commit} with one git module, {@code stdlib}, pinned to {@code moduleSha}. */
    static DeployPlan plan(String environment, String commit, String moduleSha) {
        PlannedModule stdlib = new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT,
                "https://git.example.net/stdlib.git", "main", moduleSha, null, false);
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, commit, List.of(stdlib),
                Rollout.IMMEDIATE, T0);
    }

    /** Like {@link #plan(String, String)}, rolled out as {@code rollout}. */
    static DeployPlan plan(String environment, String commit, Rollout rollout) {
        DeployPlan plan = plan(environment, commit);
        return DeployPlan.planned(plan.requestId(), environment, plan.source(), plan.branch(), commit, plan.modules(),
                rollout, T0);
    }

    /** The coordinator's activation of {@code plan}. */
    static Activation activation(DeployPlan plan, Activation.Phase phase, String... masters) {
        return new Activation(plan.requestId(), plan.environment(), plan.digest(), phase, List.of(masters), null, T0);
    }

    static DeployPlan failedPlan(String environment, String commit) {
        return DeployPlan.failed(UUID.randomUUID(), environment, "control", environment, commit,
                "Puppetfile line 3: cannot resolve ref 'nope' of stdlib", T0);
    }

    static DeployPlan absentPlan(String environment) {
        return DeployPlan.absent(UUID.randomUUID(), environment, "control", environment, T0);
    }

    /** {@code masterId} deployed exactly {@code plan}. */
    static DeployResult deployed(DeployPlan plan, String masterId) {
        return DeployResult.of(plan.requestId(), masterId, plan.environment(), plan.commit(), DeployStatus.SUCCEEDED,
                T0, T0.plusSeconds(3), null, null).withPlanDigest(plan.digest());
    }

    /** A successful result that names no plan: an r10k/g10k backend, or a result from before plans. */
    static DeployResult deployedWithoutDigest(String masterId, String environment, String commit) {
        return result(masterId, environment, commit, DeployStatus.SUCCEEDED);
    }

    static DeployResult result(String masterId, String environment, String commit, DeployStatus status) {
        return DeployResult.of(UUID.randomUUID(), masterId, environment, commit, status, T0, T0.plusSeconds(3),
                null, status == DeployStatus.FAILED ? "boom" : null);
    }
}
