package io.momentum.health.domain;

import static io.momentum.health.domain.FleetFixture.COMMIT_A;
import static io.momentum.health.domain.FleetFixture.COMMIT_B;
import static io.momentum.health.domain.FleetFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.Activation.Phase;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.Rollout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Plain JUnit: FLEET and CANARY rollouts decided by the {@link MonitoredFleet} on an injected clock. Every record
 * the fleet gets is also logged, so a "restarted" monitor can replay exactly what the topics hold; activations the
 * fleet hands out are fed back as if read from {@code momentum.rollouts}.
 */
class RolloutCoordinatorTest {

    private static final String ENV = "production";

    private final MutableClock clock = new MutableClock(T0);
    private final List<Consumer<MonitoredFleet>> topics = new ArrayList<>();
    private MonitoredFleet fleet;

    private MonitoredFleet start(RolloutSettings settings, String... ids) {
        fleet = new MonitoredFleet(HealthSettings.defaults(), settings, new StrictPolicy(), List.of(), clock);
        for (String id : ids) {
            join(id);
        }
        return fleet;
    }

    private MonitoredFleet start(String... ids) {
        return start(RolloutSettings.defaults(), ids);
    }

    /** Announces a READY master that heartbeats hourly (so advancing the clock never makes it silent), UP. */
    private void join(String id) {
        MasterAnnouncement ready = new MasterAnnouncement(id, MasterRole.COMPILE, "https://" + id + ":8140", null,
                MasterState.READY, "1.0", clock.instant(), clock.instant(), Duration.ofHours(1).toMillis());
        record(f -> f.onAnnouncement(ready));
        probe(id, true, 2);
    }

    private void probe(String id, boolean healthy, int times) {
        for (int i = 0; i < times; i++) {
            fleet.onProbe(id, healthy ? ProbeOutcome.healthy(5, clock.instant())
                    : ProbeOutcome.unhealthy("HTTP 503: error", 7L, clock.instant()));
            clock.advance(Duration.ofMillis(100));
        }
    }

    private void record(Consumer<MonitoredFleet> onTopic) {
        topics.add(onTopic);
        onTopic.accept(fleet);
    }

    private DeployPlan plan(Rollout rollout, String commit) {
        DeployPlan plan = DeployPlan.planned(UUID.randomUUID(), ENV, "control", ENV, commit, List.of(), rollout,
                clock.instant());
        record(f -> f.onDeployPlan(plan));
        return plan;
    }

    private DeployPlan plan(Rollout rollout) {
        return plan(rollout, COMMIT_B);
    }

    private void result(DeployPlan plan, DeployStatus status, String... ids) {
        for (String id : ids) {
            DeployResult result = DeployResult.of(plan.requestId(), id, ENV, plan.commit(), status, clock.instant(),
                    clock.instant(), null, status == DeployStatus.FAILED ? "post-deploy check failed" : null)
                    .withPlanDigest(plan.digest());
            record(f -> f.onDeployResult(result));
        }
    }

    /** What the fleet decides now; each decision goes to the topic and comes back, as in production. */
    private List<Activation> decide() {
        List<Activation> due = fleet.activationsDue();
        due.forEach(activation -> record(f -> f.onActivation(activation)));
        return due;
    }

    private Activation decidedOne() {
        List<Activation> due = decide();
        assertThat(due).hasSize(1);
        return due.get(0);
    }

    private RolloutView view() {
        return fleet.rollout(ENV).orElseThrow();
    }

    /** A monitor started afresh: the same topics replayed, no health verdict yet. */
    private MonitoredFleet restart(RolloutSettings settings) {
        fleet = new MonitoredFleet(HealthSettings.defaults(), settings, new StrictPolicy(), List.of(), clock);
        topics.forEach(onTopic -> onTopic.accept(fleet));
        return fleet;
    }

    @Nested
    class Fleet {

        @Test
        void activatesAllOnceEveryReadyMasterStaged() {
            start("cm1", "cm2", "cm3");
            DeployPlan plan = plan(Rollout.FLEET);
            result(plan, DeployStatus.STAGED, "cm1", "cm2");

            assertThat(decide()).isEmpty();
            assertThat(view().phase()).isEqualTo(RolloutPhase.STAGING);
            assertThat(view().staged()).containsExactly("cm1", "cm2");
            assertThat(view().pending()).containsExactly("cm3");

            result(plan, DeployStatus.STAGED, "cm3");
            Activation all = decidedOne();
            assertThat(all.phase()).isEqualTo(Phase.ALL);
            assertThat(all.requestId()).isEqualTo(plan.requestId());
            assertThat(all.digest()).isEqualTo(plan.digest());
            assertThat(all.masters()).isEmpty();
            assertThat(all.reason()).isEqualTo("every READY master staged: cm1, cm2, cm3");
            assertThat(all.at()).isEqualTo(clock.instant());
            assertThat(decide()).as("published once").isEmpty();
            assertThat(view().phase()).isEqualTo(RolloutPhase.ALL);
        }

        @Test
        void aDecisionInFlightIsNotRepeatedAndAFailedWriteIsDecidedAgain() {
            start("cm1");
            DeployPlan plan = plan(Rollout.FLEET);
            result(plan, DeployStatus.STAGED, "cm1");

            Activation all = fleet.activationsDue().get(0);
            assertThat(fleet.activationsDue()).as("not read back yet, but already decided").isEmpty();

            fleet.activationFailed(all);
            assertThat(fleet.activationsDue()).extracting(Activation::phase).containsExactly(Phase.ALL);
        }

        @Test
        void proceedsAfterTheStageTimeoutNamingTheMastersThatDidNotStage() {
            start("cm1", "cm2", "cm3");
            DeployPlan plan = plan(Rollout.FLEET);
            result(plan, DeployStatus.STAGED, "cm1", "cm2");
            clock.advance(Duration.ofMinutes(1));
            assertThat(decide()).isEmpty();
            assertThat(view().reason()).startsWith("waiting for cm3 to stage (stage timeout at ");

            clock.advance(Duration.ofMinutes(1));
            Activation all = decidedOne();
            assertThat(all.phase()).isEqualTo(Phase.ALL);
            assertThat(all.reason()).isEqualTo("cm3 did not stage within 2m of the plan; activated anyway"
                    + " (on-stage-timeout=proceed): not in sync until they switch");
        }

        @Test
        void holdsAfterTheStageTimeoutUntilTheLateMasterStages() {
            start(new RolloutSettings(Duration.ofMinutes(2), StageTimeoutPolicy.HOLD, List.of(),
                    Duration.ofSeconds(60), 1), "cm1", "cm2", "cm3");
            DeployPlan plan = plan(Rollout.FLEET);
            result(plan, DeployStatus.STAGED, "cm1", "cm2");
            clock.advance(Duration.ofMinutes(5));

            assertThat(decide()).isEmpty();
            assertThat(view().phase()).isEqualTo(RolloutPhase.HELD);
            assertThat(view().reason()).isEqualTo("cm3 did not stage within 2m of the plan; held"
                    + " (on-stage-timeout=hold)");
            assertThat(view().since()).isEqualTo(plan.plannedAt().plus(Duration.ofMinutes(2)));

            result(plan, DeployStatus.STAGED, "cm3");
            assertThat(decidedOne().phase()).isEqualTo(Phase.ALL);
        }

        @Test
        void aMasterJoiningMidRolloutIsWaitedForAndOneJoiningAfterIsCoveredByAll() {
            start("cm1", "cm2");
            DeployPlan plan = plan(Rollout.FLEET);
            result(plan, DeployStatus.STAGED, "cm1");
            join("cm3");
            result(plan, DeployStatus.STAGED, "cm2");

            assertThat(decide()).isEmpty();
            assertThat(view().pending()).containsExactly("cm3");

            result(plan, DeployStatus.STAGED, "cm3");
            assertThat(decidedOne().phase()).isEqualTo(Phase.ALL);

            join("cm4");
            assertThat(decide()).as("ALL activates masters that join later too").isEmpty();
            assertThat(fleet.status("cm4").orElseThrow().laggingEnvironments()).as("must serve the new plan")
                    .containsExactly(ENV);
        }

        @Test
        void aMasterThatLeavesIsNoLongerWaitedFor() {
            start("cm1", "cm2");
            DeployPlan plan = plan(Rollout.FLEET);
            result(plan, DeployStatus.STAGED, "cm1");
            MasterAnnouncement leaving = new MasterAnnouncement("cm2", MasterRole.COMPILE, "https://cm2:8140", null,
                    MasterState.LEAVING, "1.0", T0, clock.instant(), Duration.ofHours(1).toMillis());
            record(f -> f.onAnnouncement(leaving));

            assertThat(decidedOne().phase()).isEqualTo(Phase.ALL);
        }

        @Test
        void immediatePlansHaveNoRollout() {
            start("cm1");
            plan(Rollout.IMMEDIATE);

            assertThat(fleet.rollouts()).isEmpty();
            assertThat(decide()).isEmpty();
        }
    }

    @Nested
    class Canary {

        @Test
        void theFirstReadyCompileMasterIsTheCanaryAndSwitchesOnceStaged() {
            start("cm2", "cm1", "cm3");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm2", "cm3");
            assertThat(decide()).isEmpty();
            assertThat(view().reason()).startsWith("canary waiting for cm1 to stage");

            result(plan, DeployStatus.STAGED, "cm1");
            Activation canary = decidedOne();
            assertThat(canary.phase()).isEqualTo(Phase.CANARY);
            assertThat(canary.masters()).containsExactly("cm1");
            assertThat(view().phase()).isEqualTo(RolloutPhase.CANARY);
            assertThat(view().activated()).containsExactly("cm1");
        }

        @Test
        void configuredCanariesSwitchTogether() {
            start(new RolloutSettings(Duration.ofMinutes(2), StageTimeoutPolicy.PROCEED, List.of("cm3", "cm2"),
                    Duration.ofSeconds(60), 1), "cm1", "cm2", "cm3");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm2", "cm3");

            assertThat(decidedOne().masters()).containsExactly("cm2", "cm3");
        }

        @Test
        void aHealthySoakLeadsBatchByBatchToAll() {
            start("cm1", "cm2", "cm3");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm1", "cm2", "cm3");
            assertThat(decidedOne().phase()).isEqualTo(Phase.CANARY);

            clock.advance(Duration.ofSeconds(5));
            assertThat(decide()).isEmpty();
            assertThat(view().reason()).isEqualTo("waiting for cm1 to switch");
            result(plan, DeployStatus.SUCCEEDED, "cm1");
            assertThat(decide()).isEmpty();
            assertThat(view().phase()).isEqualTo(RolloutPhase.SOAKING);
            assertThat(view().since()).isEqualTo(clock.instant());
            assertThat(view().switched()).containsExactly("cm1");
            assertThat(view().staged()).containsExactly("cm2", "cm3");

            clock.advance(Duration.ofSeconds(59));
            assertThat(decide()).as("soak not over").isEmpty();
            clock.advance(Duration.ofSeconds(1));
            Activation batch = decidedOne();
            assertThat(batch.phase()).isEqualTo(Phase.BATCH);
            assertThat(batch.masters()).containsExactly("cm1", "cm2");
            assertThat(batch.reason()).isEqualTo("cm1 healthy for 1m; next batch: cm2");

            result(plan, DeployStatus.SUCCEEDED, "cm2");
            clock.advance(Duration.ofSeconds(60));
            assertThat(decidedOne().masters()).containsExactly("cm1", "cm2", "cm3");

            result(plan, DeployStatus.SUCCEEDED, "cm3");
            clock.advance(Duration.ofSeconds(30));
            assertThat(decide()).isEmpty();
            clock.advance(Duration.ofSeconds(30));
            Activation all = decidedOne();
            assertThat(all.phase()).isEqualTo(Phase.ALL);
            assertThat(all.reason()).isEqualTo("cm1, cm2, cm3 healthy for 1m; every READY master activated");
            assertThat(decide()).isEmpty();
        }

        @Test
        void aCanaryGoingDownDuringTheSoakHaltsTheRolloutForGood() {
            start("cm1", "cm2");
            DeployPlan previous = plan(Rollout.IMMEDIATE, COMMIT_A);
            result(previous, DeployStatus.SUCCEEDED, "cm1", "cm2");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm1", "cm2");
            decidedOne();
            result(plan, DeployStatus.SUCCEEDED, "cm1");
            clock.advance(Duration.ofSeconds(10));
            probe("cm1", false, 3);
            probe("cm1", true, 2);

            Activation halted = decidedOne();
            assertThat(halted.phase()).as("DOWN during the soak halts, even after it recovered")
                    .isEqualTo(Phase.HALTED);
            assertThat(halted.masters()).containsExactly("cm1");
            assertThat(halted.reason()).startsWith("cm1's Puppet Server went DOWN after the CANARY activation");
            assertThat(view().phase()).isEqualTo(RolloutPhase.HALTED);

            clock.advance(Duration.ofMinutes(10));
            assertThat(decide()).as("nothing more for this plan").isEmpty();
            assertThat(fleet.status("cm2").orElseThrow().inSync()).as("stays on the previous plan").isTrue();
            assertThat(fleet.status("cm1").orElseThrow().laggingEnvironments()).as("serves the halted plan")
                    .containsExactly(ENV);
        }

        @Test
        void aCanaryThatFailsToSwitchHaltsTheRollout() {
            start("cm1", "cm2");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm1", "cm2");
            decidedOne();
            result(plan, DeployStatus.FAILED, "cm1");

            Activation halted = decidedOne();
            assertThat(halted.phase()).isEqualTo(Phase.HALTED);
            assertThat(halted.masters()).as("it never switched").isEmpty();
            assertThat(halted.reason()).isEqualTo("cm1 failed to deploy the plan: post-deploy check failed");
        }

        @Test
        void aBatchMasterThatFailsHaltsWithTheMastersThatSwitched() {
            start("cm1", "cm2", "cm3");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm1", "cm2", "cm3");
            decidedOne();
            result(plan, DeployStatus.SUCCEEDED, "cm1");
            clock.advance(Duration.ofSeconds(60));
            assertThat(decidedOne().phase()).isEqualTo(Phase.BATCH);
            result(plan, DeployStatus.FAILED, "cm2");

            Activation halted = decidedOne();
            assertThat(halted.phase()).isEqualTo(Phase.HALTED);
            assertThat(halted.masters()).containsExactly("cm1");
        }

        @Test
        void aNewerPlanReplacesTheRolloutInProgress() {
            start("cm1", "cm2");
            DeployPlan first = plan(Rollout.CANARY);
            result(first, DeployStatus.STAGED, "cm1", "cm2");
            decidedOne();
            result(first, DeployStatus.SUCCEEDED, "cm1");

            DeployPlan second = plan(Rollout.CANARY, "c".repeat(40));
            assertThat(decide()).isEmpty();
            assertThat(view().requestId()).isEqualTo(second.requestId());
            assertThat(view().phase()).isEqualTo(RolloutPhase.STAGING);
            assertThat(view().switched()).as("nobody serves the new plan").isEmpty();

            result(second, DeployStatus.STAGED, "cm1");
            Activation canary = decidedOne();
            assertThat(canary.requestId()).isEqualTo(second.requestId());
            assertThat(canary.digest()).isEqualTo(second.digest());
            assertThat(canary.phase()).isEqualTo(Phase.CANARY);
        }

        @Test
        void aRestartedMonitorResumesFromTheReplayedActivationWithoutPublishingAgain() {
            start("cm1", "cm2");
            DeployPlan plan = plan(Rollout.CANARY);
            result(plan, DeployStatus.STAGED, "cm1", "cm2");
            decidedOne();
            result(plan, DeployStatus.SUCCEEDED, "cm1");
            clock.advance(Duration.ofSeconds(30));

            restart(RolloutSettings.defaults());
            assertThat(decide()).as("the replayed CANARY is the decision").isEmpty();
            assertThat(view().phase()).isEqualTo(RolloutPhase.SOAKING);

            clock.advance(Duration.ofSeconds(30));
            assertThat(decide()).as("the soak counts from the records, but needs a health verdict").isEmpty();
            assertThat(view().reason()).isEqualTo("soak time over; waiting for this monitor's health verdict of cm1");

            probe("cm1", true, 2);
            probe("cm2", true, 2);
            Activation batch = decidedOne();
            assertThat(batch.phase()).isEqualTo(Phase.BATCH);
            assertThat(batch.masters()).containsExactly("cm1", "cm2");

            restart(RolloutSettings.defaults());
            assertThat(decide()).isEmpty();
            assertThat(view().phase()).isEqualTo(RolloutPhase.BATCH);
        }
    }
}
