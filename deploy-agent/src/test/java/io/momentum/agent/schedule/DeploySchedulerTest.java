package io.momentum.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.TestSources;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PostDeployOutcome;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import io.momentum.testing.GitRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a @QuarkusTest: scheduling is plain Java, driven with latches against a fake deployer. */
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
        scheduler = new DeployScheduler(deployer, new Targets(List.of(sources), new BranchLister(GitRemotesFixture.plain(tmp), Duration.ofSeconds(30))), result -> {
            results.add(result);
            return CompletableFuture.completedFuture(null);
        }, (environment, purged) -> afterDeploy.run(environment, purged), "cm1", parallel);
        return scheduler;
    }

    private static Source control() {
        return TestSources.source("control", "file:///srv/control.git", null);
    }

    private static DeployRequest request(String environment, String commit) {
        return DeployRequest.environment(environment, environment, "control", "https://elsewhere.invalid/x.git",
                commit, Provider.GITHUB, Instant.now());
    }

    private static void await(CompletableFuture<Void> future) throws Exception {
        future.get(30, TimeUnit.SECONDS);
    }

    private DeployResult resultOf(DeployRequest request) {
        return results.stream().filter(r -> r.requestId().equals(request.requestId())).findFirst().orElseThrow();
    }

    @Test
    void deploysTheConfiguredRepositoryAndPublishesSucceeded() throws Exception {
        scheduler(2, control());
        DeployRequest request = request("production", A);

        await(scheduler.submit(request));

        DeployResult result = resultOf(request);
        assertThat(result.status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(result.masterId()).isEqualTo("cm1");
        assertThat(result.key()).isEqualTo("cm1/production");
        assertThat(result.commit()).isEqualTo(A);
        assertThat(result.modules()).isEqualTo(new ModuleCounts(2, 1));
        assertThat(result.startedAt()).isNotNull().isBeforeOrEqualTo(result.finishedAt());
        assertThat(result.error()).isNull();
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A);
        assertThat(postSteps).containsExactly("production deployed");
    }

    @Test
    void redeliveryIsANoOpThatStillPublishesAResultAndSkipsPostSteps() throws Exception {
        scheduler(2, control());
        await(scheduler.submit(request("production", A)));
        DeployRequest again = request("production", A);

        await(scheduler.submit(again));

        assertThat(resultOf(again).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(again).modules()).isEqualTo(new ModuleCounts(0, 3));
        assertThat(postSteps).containsExactly("production deployed");
    }

    @Test
    void coalescesPendingRequestsOfOneEnvironmentToTheNewest() throws Exception {
        scheduler(2, control());
        FakeDeployer.Gate gate = deployer.gate("production");
        DeployRequest first = request("production", A);
        CompletableFuture<Void> running = scheduler.submit(first);
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).isTrue();

        DeployRequest second = request("production", B);
        DeployRequest third = request("production", C);
        DeployRequest newest = request("production", D);
        CompletableFuture<Void> secondDone = scheduler.submit(second);
        CompletableFuture<Void> thirdDone = scheduler.submit(third);
        CompletableFuture<Void> newestDone = scheduler.submit(newest);
        await(secondDone);
        await(thirdDone);
        assertThat(resultOf(second).status()).isEqualTo(DeployStatus.SUPERSEDED);
        assertThat(resultOf(second).commit()).isEqualTo(B);
        assertThat(resultOf(third).status()).isEqualTo(DeployStatus.SUPERSEDED);
        assertThat(scheduler.running()).containsExactly("production");

        gate.release.countDown();
        await(running);
        await(newestDone);

        assertThat(resultOf(first).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(newest).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(newest).commit()).isEqualTo(D);
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A, "deploy:production@" + D);
        assertThat(deployer.deployedEnvironments()).containsEntry("production", D);
    }

    @Test
    void deploysDifferentEnvironmentsInParallel() throws Exception {
        scheduler(2, control());
        FakeDeployer.Gate production = deployer.gate("production");
        FakeDeployer.Gate development = deployer.gate("development");
        CompletableFuture<Void> first = scheduler.submit(request("production", A));
        CompletableFuture<Void> second = scheduler.submit(request("development", B));

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
        CompletableFuture<Void> first = scheduler.submit(request("production", A));
        assertThat(production.started.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = scheduler.submit(request("development", B));

        // With one worker, development waits in the queue (no deploy call yet) until production is released.
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A);
        production.release.countDown();
        await(first);
        await(second);
        assertThat(deployer.calls()).containsExactly("deploy:production@" + A, "deploy:development@" + B);
    }

    @Test
    void aFailedDeployPublishesFailedAndTheNextRequestStillRuns() throws Exception {
        scheduler(2, control());
        deployer.failWith("production", "module stdlib: ref v9 not found");
        DeployRequest failing = request("production", A);
        await(scheduler.submit(failing));

        assertThat(resultOf(failing).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(failing).error()).isEqualTo("module stdlib: ref v9 not found");
        assertThat(resultOf(failing).commit()).isEqualTo(A);
        assertThat(postSteps).isEmpty();

        DeployRequest other = request("development", B);
        await(scheduler.submit(other));
        assertThat(resultOf(other).status()).isEqualTo(DeployStatus.SUCCEEDED);
    }

    @Test
    void refusesHostileOrInconsistentRequestsWithoutTouchingTheDeployer() throws Exception {
        scheduler(2, control());
        DeployRequest traversal = request("../../etc", A);
        DeployRequest reserved = request("main", A);
        DeployRequest badCommit = request("production", "HEAD~1; rm -rf /");
        DeployRequest unknownSource = new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, "production",
                "production", "evil", null, A, false, null, Provider.MANUAL, null, null, Instant.now());
        DeployRequest mismatch = new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, "production",
                "feature-x", "control", null, A, false, null, Provider.MANUAL, null, null, Instant.now());

        for (DeployRequest request : List.of(traversal, reserved, badCommit, unknownSource, mismatch)) {
            await(scheduler.submit(request));
        }

        assertThat(resultOf(traversal).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(traversal).error()).startsWith("refused: ").contains("letters, digits");
        assertThat(resultOf(reserved).error()).contains("reserved");
        assertThat(resultOf(badCommit).error()).contains("40 lowercase hex");
        assertThat(resultOf(unknownSource).error()).contains("unknown source 'evil'");
        assertThat(resultOf(mismatch).error()).contains("maps to environment feature_x");
        assertThat(deployer.calls()).isEmpty();
    }

    @Test
    void aDeletedBranchPurgesItsEnvironment() throws Exception {
        scheduler(2, control());
        await(scheduler.submit(request("feature", A)));
        DeployRequest deleted = request("feature", null).withDeleted(true);

        await(scheduler.submit(deleted));

        assertThat(resultOf(deleted).status()).isEqualTo(DeployStatus.PURGED);
        assertThat(deployer.deployedEnvironments()).doesNotContainKey("feature");
        assertThat(postSteps).containsExactly("feature deployed", "feature purged");
    }

    @Test
    void moduleRequestsRedeployTheModuleInEveryDeployedEnvironment() throws Exception {
        scheduler(2, control(), TestSources.source("team", "file:///srv/team.git", "team"));
        await(scheduler.submit(request("production", A)));
        deployer.markDeployed("team_dev", B);
        DeployRequest module = DeployRequest.module("stdlib", "https://git.example.net/stdlib.git", null,
                Provider.GITLAB, Instant.now());

        await(scheduler.submit(module));

        assertThat(deployer.calls()).contains("module:production:stdlib", "module:team_dev:stdlib");
        List<DeployResult> moduleResults = results.stream()
                .filter(r -> r.requestId().equals(module.requestId())).toList();
        assertThat(moduleResults).extracting(DeployResult::environment)
                .containsExactlyInAnyOrder("production", "team_dev");
        assertThat(moduleResults).extracting(DeployResult::status).containsOnly(DeployStatus.SUCCEEDED);
    }

    @Test
    void fullSyncDeploysEveryBranchAndCatchUpOnlyWhatIsMissingOrBehind() throws Exception {
        try (GitRepo control = GitRepo.createBare(tmp.resolve("control.git"))) {
            String production = control.commit("production", Map.of("Puppetfile", ""));
            String development = control.commit("development", Map.of("Puppetfile", ""));
            control.commit("feature-x", Map.of("Puppetfile", ""));
            control.commit("feature_x", Map.of("Puppetfile", ""));
            scheduler(2, TestSources.source("control", control.url(), null));
            deployer.markDeployed("production", production);
            deployer.markDeployed("development", A);

            await(scheduler.catchUp());
            // production is current; development is behind; the colliding feature branches deploy nowhere.
            assertThat(deployer.calls()).containsExactly("deploy:development@" + development);

            DeployRequest fullSync = DeployRequest.fullSync(Provider.MANUAL, Instant.now());
            await(scheduler.submit(fullSync));
            assertThat(results.stream().filter(r -> r.requestId().equals(fullSync.requestId())))
                    .extracting(DeployResult::environment).containsExactlyInAnyOrder("development", "production");
        }
    }

    @Test
    void anUnreachableControlRepositoryDoesNotBreakFullSync() throws Exception {
        scheduler(2, TestSources.source("control", tmp.resolve("missing.git").toUri().toString(), null));
        await(scheduler.submit(DeployRequest.fullSync(Provider.MANUAL, Instant.now())));
        assertThat(results).isEmpty();
    }

    @Test
    void postStepFailuresAreReportedButTheDeployStaysSucceeded() throws Exception {
        PostDeployOutcome refused = new PostDeployOutcome("flush-environment-cache", false, "HTTP 403", 12);
        PostDeployOutcome command = new PostDeployOutcome("command", true, "notify exited 0", 3);
        afterDeploy = (environment, purged) -> List.of(refused, command);
        scheduler(2, control());
        DeployRequest request = request("production", A);

        await(scheduler.submit(request));

        assertThat(resultOf(request).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(resultOf(request).error()).isEqualTo("post-deploy flush-environment-cache failed: HTTP 403");
        assertThat(resultOf(request).postDeploy()).containsExactly(refused, command);
    }

    @Test
    void closingInterruptsRunningDeploysWithoutAResultSoTheyAreRedelivered() throws Exception {
        scheduler(2, control());
        FakeDeployer.Gate gate = deployer.gate("production");
        CompletableFuture<Void> running = scheduler.submit(request("production", A));
        CompletableFuture<Void> pending = scheduler.submit(request("production", B));
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).isTrue();

        scheduler.close(Duration.ofMillis(100));

        assertThat(running).isCompletedExceptionally();
        assertThat(pending).isCompletedExceptionally();
        assertThat(results).isEmpty();
        assertThat(scheduler.submit(request("development", C))).isCompletedExceptionally();
    }

    @Test
    void retriesPublishingUntilTheResultIsStored() throws Exception {
        List<DeployResult> stored = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> brokerDown = CompletableFuture.failedFuture(new IllegalStateException("down"));
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        scheduler = new DeployScheduler(deployer, new Targets(List.of(control()), new BranchLister(GitRemotesFixture.plain(tmp), Duration.ofSeconds(30))), result -> {
            if (attempts.incrementAndGet() == 1) {
                return brokerDown;
            }
            stored.add(result);
            return CompletableFuture.completedFuture(null);
        }, AfterDeploy.NOTHING, "cm1", 1, Duration.ofMillis(10));

        await(scheduler.submit(request("production", A)));

        assertThat(attempts).hasValue(2);
        assertThat(stored).hasSize(1);
    }

    private static Source ruled(String remote, String prefix) {
        return new Source("control", remote, java.util.Optional.empty(), prefix, List.of(),
                List.of(java.util.regex.Pattern.compile("wip/.*")), false, Source.InvalidBranches.CORRECT_AND_WARN,
                Map.of("main", "production"));
    }

    @Test
    void catchUpFailsWithTheCauseWhenAControlRepositoryCannotBeListed() {
        scheduler(2, TestSources.source("control", tmp.resolve("missing.git").toUri().toString(), null));

        assertThat(scheduler.catchUp()).failsWithin(Duration.ofSeconds(30))
                .withThrowableThat().havingRootCause().isInstanceOf(SourcesUnreachable.class)
                .withMessageContaining("cannot list branches of source control");
        assertThat(deployer.calls()).isEmpty();
    }

    @Test
    void catchUpAndFullSyncDeployOnlyWhatTheRulesAllowAndPurgeManagedEnvironmentsNoRuleAllows() throws Exception {
        try (GitRepo control = GitRepo.createBare(tmp.resolve("control.git"))) {
            String main = control.commit("main", Map.of("Puppetfile", ""));
            String develop = control.commit("develop", Map.of("Puppetfile", ""));
            control.commit("wip/spike", Map.of("Puppetfile", ""));
            scheduler(2, ruled(control.url(), null));
            deployer.markDeployed("wip_spike", A);
            deployer.markDeployed("old_feature", B);

            await(scheduler.catchUp());

            assertThat(deployer.calls()).containsExactlyInAnyOrder("deploy:production@" + main,
                    "deploy:develop@" + develop, "purge:wip_spike", "purge:old_feature");
            assertThat(results).filteredOn(r -> r.status() == DeployStatus.PURGED)
                    .extracting(DeployResult::environment).containsExactlyInAnyOrder("wip_spike", "old_feature");
            assertThat(deployer.deployedEnvironments()).containsOnlyKeys("production", "develop");

            DeployRequest fullSync = DeployRequest.fullSync(Provider.MANUAL, Instant.now());
            await(scheduler.submit(fullSync));
            assertThat(results.stream().filter(r -> r.requestId().equals(fullSync.requestId())))
                    .extracting(DeployResult::environment).containsExactlyInAnyOrder("production", "develop");
        }
    }

    @Test
    void purgingLeavesEnvironmentsOutsideEverySourcesNameSpace() throws Exception {
        try (GitRepo team = GitRepo.createBare(tmp.resolve("team.git"))) {
            String dev = team.commit("dev", Map.of("Puppetfile", ""));
            scheduler(2, TestSources.source("team", team.url(), "team"));
            deployer.markDeployed("legacy", A);
            deployer.markDeployed("team_gone", B);

            await(scheduler.catchUp());

            assertThat(deployer.calls()).containsExactlyInAnyOrder("deploy:team_dev@" + dev, "purge:team_gone");
            assertThat(deployer.deployedEnvironments()).containsKeys("legacy", "team_dev");
        }
    }

    @Test
    void requestsForBranchesTheRulesSkipAreRefusedNamingTheRule() throws Exception {
        scheduler(2, ruled("file:///srv/control.git", null));
        DeployRequest ignored = DeployRequest.environment("wip_spike", "wip/spike", "control", null, A,
                Provider.GITHUB, Instant.now());
        DeployRequest mapped = DeployRequest.environment("production", "main", "control", null, B, Provider.GITHUB,
                Instant.now());

        await(scheduler.submit(ignored));
        await(scheduler.submit(mapped));

        assertThat(resultOf(ignored).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(resultOf(ignored).error()).startsWith("refused: not deployed by the rules of momentum.sources.control")
                .contains("wip/spike matches an ignore pattern");
        assertThat(resultOf(mapped).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(deployer.calls()).containsExactly("deploy:production@" + B);
    }
}
