package io.momentum.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.TestSources;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a @QuarkusTest: FLEET and CANARY plans staged, then switched live by the activations that name this master
 * ({@code cm1}), driven with latches against a fake deployer.
 */
class RolloutSchedulingTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    @TempDir
    Path tmp;

    private final FakeDeployer deployer = new FakeDeployer();
    private final List<DeployResult> results = new CopyOnWriteArrayList<>();
    private final List<String> postSteps = new CopyOnWriteArrayList<>();
    private DeployScheduler scheduler;

    @BeforeEach
    void start() {
        scheduler = new DeployScheduler(deployer, new Targets(List.of(TestSources.source("control",
                "file:///srv/control.git", null)), new BranchLister(GitRemotesFixture.plain(tmp),
                        Duration.ofSeconds(30))), result -> {
                            results.add(result);
                            return CompletableFuture.completedFuture(null);
                        }, (environment, purged) -> {
                            postSteps.add(environment + (purged ? " purged" : " deployed"));
                            return List.of();
                        }, "cm1", 2);
    }

    @AfterEach
    void close() {
        scheduler.close(Duration.ofSeconds(5));
    }

    private static DeployPlan plan(String environment, String commit, Rollout rollout) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, commit, List.of(
                new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT, "https://git.example.net/s.git",
                        "main", commit, null, false)), rollout, Instant.now());
    }

    private static Activation activation(DeployPlan plan, Activation.Phase phase, String... masters) {
        return new Activation(plan.requestId(), plan.environment(), plan.digest(), phase, List.of(masters),
                phase == Activation.Phase.HALTED ? "cm2 unhealthy after the soak" : "soaked", Instant.now());
    }

    private static void await(CompletableFuture<Void> future) throws Exception {
        future.get(30, TimeUnit.SECONDS);
    }

    private List<DeployStatus> statusesOf(DeployPlan plan) {
        return results.stream().filter(r -> r.requestId().equals(plan.requestId())).map(DeployResult::status)
                .toList();
    }

    private DeployResult last(DeployPlan plan) {
        return results.stream().filter(r -> r.requestId().equals(plan.requestId())).reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void aFleetPlanIsStagedNotLiveAndAnsweredStagedWithoutPostDeploySteps() throws Exception {
        DeployPlan live = plan("production", A, Rollout.IMMEDIATE);
        deployer.markLive(live);
        DeployPlan fleet = plan("production", B, Rollout.FLEET);

        await(scheduler.submit(fleet));

        DeployResult staged = last(fleet);
        assertThat(staged.status()).isEqualTo(DeployStatus.STAGED);
        assertThat(staged.masterId()).isEqualTo("cm1");
        assertThat(staged.commit()).isEqualTo(B);
        assertThat(staged.planDigest()).isEqualTo(fleet.digest());
        assertThat(staged.modules()).isEqualTo(new ModuleCounts(2, 1));
        assertThat(staged.startedAt()).isBeforeOrEqualTo(staged.finishedAt());
        assertThat(deployer.calls()).containsExactly("stage:production@" + B);
        assertThat(deployer.isLive(live)).isTrue();
        assertThat(deployer.isStaged(fleet)).isTrue();
        assertThat(postSteps).isEmpty();
    }

    @Test
    void anAllActivationSwitchesTheStagedPlanLiveAndAnswersSucceededThenRunsThePostDeploySteps()
            throws Exception {
        DeployPlan fleet = plan("production", B, Rollout.FLEET);
        await(scheduler.submit(fleet));

        await(scheduler.activate(activation(fleet, Activation.Phase.ALL), fleet));

        assertThat(statusesOf(fleet)).containsExactly(DeployStatus.STAGED, DeployStatus.SUCCEEDED);
        assertThat(last(fleet).planDigest()).isEqualTo(fleet.digest());
        assertThat(last(fleet).commit()).isEqualTo(B);
        assertThat(deployer.isLive(fleet)).isTrue();
        assertThat(deployer.calls()).containsExactly("stage:production@" + B, "activate:production@" + B);
        assertThat(postSteps).containsExactly("production deployed");
    }

    @Test
    void aCanaryActivationNamingAnotherMasterLeavesThisOneStagedUntilABatchNamesIt() throws Exception {
        DeployPlan canary = plan("production", B, Rollout.CANARY);
        await(scheduler.submit(canary));

        await(scheduler.activate(activation(canary, Activation.Phase.CANARY, "cm2"), canary));

        assertThat(deployer.isLive(canary)).isFalse();
        assertThat(statusesOf(canary)).containsExactly(DeployStatus.STAGED);

        await(scheduler.activate(activation(canary, Activation.Phase.BATCH, "cm2", "cm1"), canary));

        assertThat(deployer.isLive(canary)).isTrue();
        assertThat(statusesOf(canary)).containsExactly(DeployStatus.STAGED, DeployStatus.SUCCEEDED);
        assertThat(deployer.calls()).containsExactly("stage:production@" + B, "activate:production@" + B);
    }

    @Test
    void aHaltedRolloutOrAnActivationOfAnotherPlanLeavesTheLiveVersion() throws Exception {
        DeployPlan live = plan("production", A, Rollout.IMMEDIATE);
        deployer.markLive(live);
        DeployPlan canary = plan("production", B, Rollout.CANARY);
        DeployPlan other = plan("production", C, Rollout.CANARY);
        await(scheduler.submit(canary));

        await(scheduler.activate(activation(other, Activation.Phase.ALL), canary));
        await(scheduler.activate(activation(canary, Activation.Phase.HALTED, "cm1", "cm2"), canary));

        assertThat(deployer.isLive(live)).isTrue();
        assertThat(deployer.isStaged(canary)).isTrue();
        assertThat(statusesOf(canary)).containsExactly(DeployStatus.STAGED);
        assertThat(deployer.calls()).containsExactly("stage:production@" + B);
        assertThat(postSteps).isEmpty();
    }

    @Test
    void anActivationOfTheSameContentUnderAnEarlierRequestDoesNotSwitchTheNewRollout() throws Exception {
        DeployPlan first = plan("production", B, Rollout.FLEET);
        DeployPlan rolledBackTo = first.reactivated(UUID.randomUUID(), Instant.now());
        await(scheduler.submit(rolledBackTo));

        await(scheduler.activate(activation(first, Activation.Phase.ALL), rolledBackTo));

        assertThat(deployer.isLive(rolledBackTo)).isFalse();
        assertThat(statusesOf(rolledBackTo)).containsExactly(DeployStatus.STAGED);
    }

    @Test
    void anActivationThatComesWhileStagingRunsSwitchesRightAfterStaging() throws Exception {
        FakeDeployer.Gate gate = deployer.gate("production");
        DeployPlan fleet = plan("production", B, Rollout.FLEET);
        CompletableFuture<Void> staging = scheduler.submit(fleet);
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> switching = scheduler.activate(activation(fleet, Activation.Phase.ALL), fleet);
        gate.release.countDown();
        await(staging);
        await(switching);

        assertThat(statusesOf(fleet)).containsExactly(DeployStatus.STAGED, DeployStatus.SUCCEEDED);
        assertThat(deployer.isLive(fleet)).isTrue();
        assertThat(deployer.calls()).containsExactly("stage:production@" + B, "activate:production@" + B);
    }

    @Test
    void aNewerPlanDuringStagingIsStagedNextAndTheOlderOneIsNeitherSupersededNorSwitched() throws Exception {
        FakeDeployer.Gate gate = deployer.gate("production");
        DeployPlan older = plan("production", B, Rollout.FLEET);
        CompletableFuture<Void> staging = scheduler.submit(older);
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).isTrue();
        // Its activation comes, and then a newer plan: the older one must not go live on its way out.
        CompletableFuture<Void> switching = scheduler.activate(activation(older, Activation.Phase.ALL), older);
        DeployPlan newer = plan("production", C, Rollout.FLEET);
        CompletableFuture<Void> next = scheduler.submit(newer);

        gate.release.countDown();
        await(staging);
        await(switching);
        await(next);

        assertThat(statusesOf(older)).containsExactly(DeployStatus.STAGED);
        assertThat(statusesOf(newer)).containsExactly(DeployStatus.STAGED);
        assertThat(deployer.isLive(older)).isFalse();
        assertThat(deployer.isLive(newer)).isFalse();
        assertThat(deployer.calls()).containsExactly("stage:production@" + B, "stage:production@" + C);

        await(scheduler.activate(activation(newer, Activation.Phase.ALL), newer));
        assertThat(deployer.isLive(newer)).isTrue();
        assertThat(statusesOf(newer)).containsExactly(DeployStatus.STAGED, DeployStatus.SUCCEEDED);
    }

    @Test
    void aStagedOrLivePlanIsAnsweredAtOnceWithoutWritingAgain() throws Exception {
        DeployPlan staged = plan("production", B, Rollout.FLEET);
        deployer.markStaged(staged);
        DeployPlan live = plan("development", C, Rollout.FLEET);
        deployer.markLive(live);

        await(scheduler.submit(staged));
        await(scheduler.submit(live));

        assertThat(last(staged).status()).isEqualTo(DeployStatus.STAGED);
        assertThat(last(staged).modules()).isEqualTo(new ModuleCounts(0, 3));
        assertThat(last(live).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(last(live).planDigest()).isEqualTo(live.digest());
        assertThat(deployer.isLive(staged)).isFalse();
        assertThat(postSteps).isEmpty();
    }

    @Test
    void aRestartMidRolloutSwitchesAStagedPlanItsActivationNamesWithoutStagingAgain() throws Exception {
        PlanFollower follower = new PlanFollower(scheduler);
        DeployPlan activated = plan("production", B, Rollout.FLEET);
        deployer.markStaged(activated);
        DeployPlan waiting = plan("staging", B, Rollout.CANARY);
        deployer.markStaged(waiting);
        DeployPlan lateJoiner = plan("development", C, Rollout.FLEET);

        // The replay: plans and activations only build the desired state.
        follower.accept(activated);
        follower.accept(waiting);
        follower.activate(activation(activated, Activation.Phase.ALL));
        follower.activate(activation(waiting, Activation.Phase.CANARY, "cm2"));
        follower.activate(activation(lateJoiner, Activation.Phase.ALL));
        follower.accept(lateJoiner);
        assertThat(deployer.calls()).isEmpty();
        await(follower.caughtUp());

        assertThat(statusesOf(activated)).containsExactly(DeployStatus.SUCCEEDED);
        assertThat(deployer.isLive(activated)).isTrue();
        assertThat(statusesOf(waiting)).isEmpty();
        assertThat(deployer.isStaged(waiting)).isTrue();
        // A master that joined after the ALL: stages, then switches right away.
        assertThat(statusesOf(lateJoiner)).containsExactly(DeployStatus.STAGED, DeployStatus.SUCCEEDED);
        assertThat(deployer.calls()).containsExactlyInAnyOrder("activate:production@" + B,
                "stage:development@" + C, "activate:development@" + C);

        // Then the canary's batch names this master: the follower switches it.
        follower.activate(activation(waiting, Activation.Phase.BATCH, "cm2", "cm1"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deployer.isLive(waiting));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> statusesOf(waiting).equals(List.of(DeployStatus.SUCCEEDED)));
    }
}
