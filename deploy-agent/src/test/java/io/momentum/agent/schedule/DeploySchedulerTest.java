package io.momentum.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.TestSources;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.PostDeployOutcome;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.source.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a @QuarkusTest: scheduling plans and following the desired state are plain Java, driven with latches against
 * a fake deployer.
 */
class DeploySchedulerTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private static final String D = "d".repeat(40);

    @TempDir
    Path tmp;

    private final FakeDeployer deployer = new FakeDeployer();
    private final List<DeployResult> results = new CopyOnWriteArrayList<>();
    private final List<String> postSteps = new CopyOnWriteArrayList<>();
    private AfterDeploy afterDeploy = (environment, purged) -> {
        postSteps.add(environment + (purged ? " purged" : " deployed"));
        return List.of();
    };
    private DeployScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close(Duration.ofSeconds(5));
        }
    }

    private DeployScheduler scheduler(int parallel, Source... sources) {
        scheduler = new DeployScheduler(deployer, targets(sources), result -> {
            results.add(result);
            return CompletableFuture.completedFuture(null);
        }, (environment, purged) -> afterDeploy.run(environment, purged), "cm1", parallel);
        return scheduler;
    }

    private Targets targets(Source... sources) {
        return new Targets(List.of(sources), new BranchLister(GitRemotesFixture.plain(tmp), Duration.ofSeconds(30)));
    }

    private static Source control() {
        return TestSources.source("control", "file:///srv/control.git", null);
    }

    private static DeployPlan plan(String environment, String commit) {
        return plan(environment, environment, commit);
    }

    private static DeployPlan plan(String environment, String branch, String commit) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", branch, commit, List.of(
                new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT, "https://git.example.net/s.git",
                        "main", commit, null, false)), Rollout.IMMEDIATE, Instant.now());
    }

    private static DeployPlan absent(String environment) {
        return DeployPlan.absent(UUID.randomUUID(), environment, "control", environment, Instant.now());
    }

    private static DeployPlan failed(String environment) {
        return DeployPlan.failed(UUID.randomUUID(), environment, "control", environment, null,
                "module stdlib: ref 'v9' not found", Instant.now());
    }

    private static void await(CompletableFuture<Void> future) throws Exception {
        future.get(30, TimeUnit.SECONDS);
    }

    private DeployResult resultOf(DeployPlan plan) {
        return results.stream().filter(r -> r.requestId().equals(plan.requestId())).findFirst().orElseThrow();
    }

    private Optional<DeployResult> anyResultOf(DeployPlan plan) {
        return results.stream().filter(r -> r.requestId().equals(plan.requestId())).findFirst();
    }

    @Test
    void deploysThePlanAndPublishesSucceededWithItsDigestUnderItsRequestId() throws Exception {
        scheduler(2, control());
        DeployPlan plan = plan("production", A);

        await(scheduler.submit(plan));

        DeployResult result = resultOf(plan);
        assertThat(result.status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(result.masterId()).isEqualTo("cm1");
        assertThat(result.key()).isEqualTo("cm1/production");
        assertThat(result.commit()).isEqualTo(A);
        assertThat(result.planDigest()).isEqualTo(plan.digest());
        assertThat(result.modules()).isEqualTo(new ModuleCounts(2, 1));
        assertThat(result.startedAt()).isNotNull().isBeforeOrEqualTo(result.finishedAt());
        assertThat(result.error()).isNull();
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A);
        assertThat(postSteps).containsExactly("production deployed");
    }

    @Test
    void aPlanAlreadyLiveStillAnswersSucceededAndSkipsPostSteps() throws Exception {
        scheduler(2, control());
        DeployPlan plan = plan("production", A);
        await(scheduler.submit(plan));
        DeployPlan rollback = plan.reactivated(UUID.randomUUID(), Instant.now());

        await(scheduler.submit(rollback));

        assertThat(resultOf(rollback).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(rollback).planDigest()).isEqualTo(plan.digest());
        assertThat(resultOf(rollback).modules()).isEqualTo(new ModuleCounts(0, 3));
        assertThat(resultOf(rollback).unchanged()).as("already current").isTrue();
        assertThat(resultOf(plan).unchanged()).isFalse();
        assertThat(postSteps).containsExactly("production deployed");
    }

    @Test
    void coalescesPendingPlansOfOneEnvironmentToTheNewest() throws Exception {
        scheduler(2, control());
        FakeDeployer.Gate gate = deployer.gate("production");
        DeployPlan first = plan("production", A);
        CompletableFuture<Void> running = scheduler.submit(first);
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).isTrue();

        DeployPlan second = plan("production", B);
        DeployPlan third = plan("production", C);
        DeployPlan newest = plan("production", D);
        CompletableFuture<Void> secondDone = scheduler.submit(second);
        CompletableFuture<Void> thirdDone = scheduler.submit(third);
        CompletableFuture<Void> newestDone = scheduler.submit(newest);
        await(secondDone);
        await(thirdDone);
        assertThat(resultOf(second).status()).isEqualTo(DeployStatus.SUPERSEDED);
        assertThat(resultOf(second).commit()).isEqualTo(B);
        assertThat(resultOf(second).planDigest()).isEqualTo(second.digest());
        assertThat(resultOf(third).status()).isEqualTo(DeployStatus.SUPERSEDED);
        assertThat(scheduler.running()).containsExactly("production");

        gate.release.countDown();
        await(running);
        await(newestDone);

        assertThat(resultOf(first).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(newest).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(newest).planDigest()).isEqualTo(newest.digest());
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A, "deploy:production@" + D);
        assertThat(deployer.isLive(newest)).isTrue();
    }

    @Test
    void deploysDifferentEnvironmentsInParallel() throws Exception {
        scheduler(2, control());
        FakeDeployer.Gate production = deployer.gate("production");
        FakeDeployer.Gate development = deployer.gate("development");
        CompletableFuture<Void> first = scheduler.submit(plan("production", A));
        CompletableFuture<Void> second = scheduler.submit(plan("development", B));

        // Both are inside the deployer at once; neither has been released.
        assertThat(production.started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(development.started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.running()).containsExactly("development", "production");

        production.release.countDown();
        development.release.countDown();
        await(first);
        await(second);
        assertThat(results).extracting(DeployResult::status).containsOnly(DeployStatus.SUCCEEDED);
    }

    @Test
    void boundsTheNumberOfEnvironmentsDeployingAtOnce() throws Exception {
        scheduler(1, control());
        FakeDeployer.Gate production = deployer.gate("production");
        CompletableFuture<Void> first = scheduler.submit(plan("production", A));
        assertThat(production.started.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = scheduler.submit(plan("development", B));

        // With one worker, development waits in the queue (no deploy call yet) until production is released.
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A);
        production.release.countDown();
        await(first);
        await(second);
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A, "deploy:development@" + B);
    }

    @Test
    void aFailedDeployPublishesFailedNamingThePlanAndTheNextPlanStillRuns() throws Exception {
        scheduler(2, control());
        deployer.failWith("production", "module stdlib: commit aaaa is not in the remote (any more)");
        DeployPlan failing = plan("production", A);
        await(scheduler.submit(failing));

        assertThat(resultOf(failing).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(failing).error()).isEqualTo("module stdlib: commit aaaa is not in the remote (any more)");
        assertThat(resultOf(failing).commit()).isEqualTo(A);
        assertThat(resultOf(failing).planDigest()).isEqualTo(failing.digest());
        assertThat(postSteps).isEmpty();

        DeployPlan other = plan("development", B);
        await(scheduler.submit(other));
        assertThat(resultOf(other).status()).isEqualTo(DeployStatus.SUCCEEDED);
    }

    @Test
    void refusesHostileOrInconsistentPlansWithoutTouchingTheDeployer() throws Exception {
        scheduler(2, control());
        DeployPlan traversal = plan("../../etc", A);
        DeployPlan reserved = plan("main", A);
        DeployPlan badCommit = plan("production", "HEAD~1; rm -rf /");
        DeployPlan unknownSource = DeployPlan.planned(UUID.randomUUID(), "production", "evil", "production", A,
                List.of(), Rollout.IMMEDIATE, Instant.now());
        DeployPlan mismatch = plan("production", "feature-x", A);
        DeployPlan absentTraversal = absent("../x");

        for (DeployPlan plan : List.of(traversal, reserved, badCommit, unknownSource, mismatch, absentTraversal)) {
            await(scheduler.submit(plan));
        }

        assertThat(resultOf(traversal).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(traversal).error()).startsWith("refused: ").contains("letters, digits");
        assertThat(resultOf(traversal).planDigest()).isNull();
        assertThat(resultOf(reserved).error()).contains("reserved");
        assertThat(resultOf(badCommit).error()).contains("40 lowercase hex");
        assertThat(resultOf(unknownSource).error()).contains("unknown source 'evil'");
        assertThat(resultOf(mismatch).error()).contains("maps to environment feature_x");
        assertThat(resultOf(absentTraversal).error()).startsWith("refused: ");
        assertThat(deployer.calls()).isEmpty();
    }

    @Test
    void plansForBranchesTheRulesSkipAreRefusedNamingTheRule() throws Exception {
        scheduler(2, new Source("control", "file:///srv/control.git", Optional.empty(), null, List.of(),
                List.of(Pattern.compile("wip/.*")), false, Source.InvalidBranches.CORRECT_AND_WARN,
                Map.of("main", "production")));
        DeployPlan ignored = plan("wip_spike", "wip/spike", A);
        DeployPlan mapped = plan("production", "main", B);

        await(scheduler.submit(ignored));
        await(scheduler.submit(mapped));

        assertThat(resultOf(ignored).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(ignored).error())
                .startsWith("refused: not deployed by the rules of momentum.sources.control")
                .contains("wip/spike matches an ignore pattern");
        assertThat(resultOf(mapped).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(deployer.calls()).containsExactly("deploy:production@" + B);
    }

    @Test
    void anAbsentPlanPurgesItsEnvironmentAndAFailedPlanChangesNothing() throws Exception {
        scheduler(2, control());
        await(scheduler.submit(plan("feature", A)));
        DeployPlan failedPlan = failed("feature");
        await(scheduler.submit(failedPlan));
        assertThat(anyResultOf(failedPlan)).isEmpty();
        assertThat(deployer.deployedEnvironments()).containsEntry("feature", A);

        DeployPlan deleted = absent("feature");
        await(scheduler.submit(deleted));

        assertThat(resultOf(deleted).status()).isEqualTo(DeployStatus.PURGED);
        assertThat(resultOf(deleted).planDigest()).isNull();
        assertThat(deployer.deployedEnvironments()).doesNotContainKey("feature");
        assertThat(postSteps).containsExactly("feature deployed", "feature purged");
        assertThat(deployer.calls()).containsExactly("deploy:feature@" + A, "purge:feature");
    }

    @Test
    void reconcilingDeploysWhatDiffersAndPurgesWhatIsAbsentAndAnswersNothingThatMatches() throws Exception {
        scheduler(2, control());
        DeployPlan live = plan("production", A);
        deployer.markLive(live);
        deployer.markDeployed("development", B);
        DeployPlan behind = plan("development", C);
        deployer.markDeployed("old_feature", D);
        DeployPlan gone = absent("old_feature");
        DeployPlan goneAlready = absent("never_deployed");
        DeployPlan fresh = plan("staging", D);

        await(scheduler.reconcile(List.of(live, behind, gone, goneAlready, fresh)));

        assertThat(deployer.calls()).containsExactlyInAnyOrder("deploy:development@" + C, "purge:old_feature",
                "deploy:staging@" + D);
        assertThat(results).extracting(DeployResult::requestId).containsExactlyInAnyOrder(behind.requestId(),
                gone.requestId(), fresh.requestId());
        assertThat(resultOf(behind).planDigest()).isEqualTo(behind.digest());
        assertThat(deployer.deployedEnvironments()).containsOnlyKeys("production", "development", "staging");
        assertThat(deployer.deployedEnvironments()).containsEntry("production", A);
    }

    @Test
    void aReconcileRightWhenAFailedDeployCompletesRetriesIt() throws Exception {
        scheduler(1, control());
        deployer.unreachable("production", "connection refused: git.example.net");
        DeployPlan production = plan("production", A);

        // The retry runs on the deploy's own thread the moment its failure completes: its lane must be gone then.
        CompletableFuture<Void> retried = scheduler.reconcile(List.of(production)).handle((ok, unreachable) -> {
            deployer.reachable("production");
            return scheduler.reconcile(List.of(production));
        }).thenCompose(retry -> retry);

        await(retried);
        assertThat(deployer.isLive(production)).isTrue();
    }

    @Test
    void reconcilingFailsWithTheCauseWhileAControlRepositoryCannotBeFetchedAndDeploysTheRest() throws Exception {
        scheduler(2, control());
        deployer.unreachable("production", "authentication failed for ssh://git@git.example.net/control.git (key k)");
        deployer.failWith("development", "module stdlib: commit is not in the remote (any more)");
        DeployPlan production = plan("production", A);
        DeployPlan development = plan("development", B);
        DeployPlan staging = plan("staging", C);

        assertThat(scheduler.reconcile(List.of(production, development, staging)))
                .failsWithin(Duration.ofSeconds(30)).withThrowableThat().havingRootCause()
                .isInstanceOf(SourcesUnreachable.class)
                .withMessage("production: authentication failed for ssh://git@git.example.net/control.git (key k)");
        assertThat(resultOf(production).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(development).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(staging).status()).isEqualTo(DeployStatus.SUCCEEDED);

        deployer.reachable("production");
        await(scheduler.reconcile(List.of(production, staging)));
        assertThat(deployer.isLive(production)).isTrue();
    }

    @Test
    void followingPlansDeploysOnlyTheNewestDesiredPlanOnceCaughtUpThenEachPlanAsItComes() throws Exception {
        scheduler(2, control());
        PlanFollower follower = new PlanFollower(scheduler);
        DeployPlan old = plan("production", A);
        DeployPlan desired = plan("production", B);
        DeployPlan laterFailed = failed("production");
        DeployPlan live = plan("development", C);
        deployer.markLive(live);
        DeployPlan feature = plan("feature", D);
        DeployPlan featureGone = absent("feature");

        // The replay: nothing is carried out while it runs; a FAILED plan leaves the one before it desired.
        for (DeployPlan plan : List.of(old, desired, live, laterFailed, feature, featureGone)) {
            follower.accept(plan);
        }
        assertThat(deployer.calls()).isEmpty();
        await(follower.caughtUp());

        assertThat(deployer.calls()).containsExactly("deploy:production@" + B);
        assertThat(results).extracting(DeployResult::requestId).containsExactly(desired.requestId());

        // After catch-up every plan is answered, even one that is live already.
        DeployPlan again = live.reactivated(UUID.randomUUID(), Instant.now());
        follower.accept(again);
        DeployPlan next = plan("production", D);
        follower.accept(next);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> anyResultOf(again).isPresent()
                && anyResultOf(next).isPresent());
        assertThat(resultOf(again).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(again).planDigest()).isEqualTo(live.digest());
        assertThat(resultOf(next).planDigest()).isEqualTo(next.digest());

        // A retried reconcile finds everything matching: nothing more. (development and production run in
        // parallel: their order is not a property.)
        await(follower.reconcile());
        assertThat(deployer.calls()).startsWith("deploy:production@" + B).containsExactlyInAnyOrder(
                "deploy:production@" + B, "deploy:development@" + C, "deploy:production@" + D);
    }

    @Test
    void postStepFailuresAreReportedButTheDeployStaysSucceeded() throws Exception {
        PostDeployOutcome refused = new PostDeployOutcome("flush-environment-cache", false, "HTTP 403", 12);
        PostDeployOutcome command = new PostDeployOutcome("command", true, "notify exited 0", 3);
        afterDeploy = (environment, purged) -> List.of(refused, command);
        scheduler(2, control());
        DeployPlan plan = plan("production", A);

        await(scheduler.submit(plan));

        assertThat(resultOf(plan).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(plan).error()).isEqualTo("post-deploy flush-environment-cache failed: HTTP 403");
        assertThat(resultOf(plan).postDeploy()).containsExactly(refused, command);
    }

    @Test
    void closingInterruptsRunningDeploysWithoutAResult() throws Exception {
        scheduler(2, control());
        FakeDeployer.Gate gate = deployer.gate("production");
        CompletableFuture<Void> running = scheduler.submit(plan("production", A));
        CompletableFuture<Void> pending = scheduler.submit(plan("production", B));
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).isTrue();

        scheduler.close(Duration.ofMillis(100));

        assertThat(running).isCompletedExceptionally();
        assertThat(pending).isCompletedExceptionally();
        assertThat(results).isEmpty();
        assertThat(scheduler.submit(plan("development", C))).isCompletedExceptionally();
    }

    @Test
    void retriesPublishingUntilTheResultIsStored() throws Exception {
        List<DeployResult> stored = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> brokerDown = CompletableFuture.failedFuture(new IllegalStateException("down"));
        AtomicInteger attempts = new AtomicInteger();
        scheduler = new DeployScheduler(deployer, targets(control()), result -> {
            if (attempts.incrementAndGet() == 1) {
                return brokerDown;
            }
            stored.add(result);
            return CompletableFuture.completedFuture(null);
        }, AfterDeploy.NOTHING, "cm1", 1, Duration.ofMillis(10));

        await(scheduler.submit(plan("production", A)));

        assertThat(attempts).hasValue(2);
        assertThat(stored).hasSize(1);
    }
}
