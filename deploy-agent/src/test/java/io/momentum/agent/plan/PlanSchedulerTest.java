package io.momentum.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.deployer.TestSources;
import io.momentum.agent.schedule.Targets;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Rollout;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each request kind plans, against real git repositories, with a sink that stores every plan at once: every
 * request is answered with a plan per environment it covers, even an unchanged one (the catch-up publishes only what
 * changed), pinned (rolled-back) plans are left alone
 * by everything but a push, the catch-up plans only what is missing or behind.
 */
class PlanSchedulerTest {

    @TempDir
    Path tmp;

    private GitRepo control;
    private GitRepo ntp;
    private NativeDeployer deployer;
    private PlanBook book;
    private PlanScheduler scheduler;
    private final List<DeployPlan> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        control = GitRepo.createBare(tmp.resolve("control.git"));
        ntp = GitRepo.createBare(tmp.resolve("ntp.git"));
        DeployerSettings settings = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache"),
                List.of(TestSources.source("control", control.url(), null)), "http://127.0.0.1:9", 4,
                Duration.ofSeconds(30), null, GitRemotesFixture.plain(tmp), "rugged", 3);
        deployer = new NativeDeployer(settings);
        book = new PlanBook();
        Targets targets = new Targets(settings.sources(), new BranchLister(settings.git(), Duration.ofSeconds(30)));
        // production rolls out fleet-wide; every other environment immediately.
        scheduler = new PlanScheduler(deployer.planResolver(), targets, book, plan -> {
            published.add(plan);
            return CompletableFuture.completedFuture(null);
        }, new RolloutPolicy(Rollout.IMMEDIATE, Map.of(), Map.of("production", Rollout.FLEET)), 2);
    }

    @AfterEach
    void tearDown() {
        scheduler.close();
        deployer.close();
        Stream.of(control, ntp).forEach(GitRepo::close);
    }

    private String puppetfile() {
        return "mod 'ntp', :git => '" + ntp.url() + "', :branch => 'main'\n";
    }

    private static DeployRequest push(String environment) {
        return DeployRequest.environment(environment, environment, "control", null, null, Provider.GITEA,
                Instant.now());
    }

    private static DeployRequest module(String module) {
        return DeployRequest.module(module, null, null, Provider.GITEA, Instant.now());
    }

    private void plan(DeployRequest request) throws Exception {
        scheduler.submit(request).get(60, TimeUnit.SECONDS);
    }

    private void catchUp() throws Exception {
        scheduler.catchUp().get(60, TimeUnit.SECONDS);
    }

    private List<DeployPlan> publishedFor(UUID requestId) {
        return published.stream().filter(p -> p.requestId().equals(requestId)).toList();
    }

    @Test
    void aPushIsPlannedAndPublishedOnceEvenWhenNothingChanged() throws Exception {
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile()));
        String ntpHead = ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        DeployRequest first = push("production");
        DeployRequest again = push("production");

        plan(first);
        plan(again);

        DeployPlan plan = publishedFor(first.requestId()).get(0);
        assertThat(publishedFor(first.requestId())).hasSize(1);
        assertThat(plan.status()).isEqualTo(PlanStatus.PLANNED);
        assertThat(plan.commit()).isEqualTo(commit);
        assertThat(plan.modules()).extracting(PlannedModule::sha).containsExactly(ntpHead);
        assertThat(publishedFor(again.requestId())).singleElement()
                .satisfies(p -> assertThat(p.digest()).isEqualTo(plan.digest()));
        assertThat(book.latest("production")).contains(publishedFor(again.requestId()).get(0));
    }

    @Test
    void eachPlanCarriesTheRolloutItsEnvironmentIsConfiguredWith() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile()));
        control.commit("staging", Map.of("Puppetfile", puppetfile()));
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        DeployRequest production = push("production");
        DeployRequest staging = push("staging");

        plan(production);
        plan(staging);

        assertThat(publishedFor(production.requestId())).singleElement()
                .satisfies(p -> assertThat(p.rollout()).isEqualTo(Rollout.FLEET));
        assertThat(publishedFor(staging.requestId())).singleElement()
                .satisfies(p -> assertThat(p.rollout()).isEqualTo(Rollout.IMMEDIATE));
    }

    @Test
    void aBrokenPuppetfileOrARefusedOrDeletedBranchIsPublishedOnce() throws Exception {
        control.commit("production", Map.of("Puppetfile", "mod 'ntp', :git =>\n"));
        DeployRequest broken = push("production");
        DeployRequest refused = DeployRequest.environment("other", "other", "nowhere", null, null, Provider.GITEA,
                Instant.now());
        DeployRequest deleted = push("feature").withDeleted(true);

        plan(broken);
        plan(refused);
        plan(deleted);

        assertThat(publishedFor(broken.requestId())).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PlanStatus.FAILED);
            assertThat(p.error()).contains("Puppetfile line 1");
        });
        assertThat(publishedFor(refused.requestId())).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PlanStatus.FAILED);
            assertThat(p.error()).isEqualTo("refused: unknown source 'nowhere'");
        });
        assertThat(publishedFor(deleted.requestId())).singleElement()
                .satisfies(p -> assertThat(p.status()).isEqualTo(PlanStatus.ABSENT));
        assertThat(published).hasSize(3);
    }

    @Test
    void aModulePushReplansTheEnvironmentsHoldingItAndAnswersEvenWhenItDidNotMove() throws Exception {
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        String production = control.commit("production", Map.of("Puppetfile", puppetfile()));
        control.commit("bare", Map.of("Puppetfile", ""));
        plan(push("production"));
        plan(push("bare"));
        DeployPlan before = book.latest("production").orElseThrow();
        DeployRequest unmoved = module("ntp");

        plan(unmoved);
        assertThat(publishedFor(unmoved.requestId())).as("the module did not move: the same plan, answered")
                .singleElement().satisfies(p -> {
                    assertThat(p.environment()).isEqualTo("production");
                    assertThat(p.digest()).isEqualTo(before.digest());
                });
        DeployRequest nobodyUsesIt = module("apache");
        plan(nobodyUsesIt);
        assertThat(publishedFor(nobodyUsesIt.requestId())).isEmpty();

        control.commit("production", Map.of("Puppetfile", puppetfile(), "later", "x"));
        String moved = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        DeployRequest modulePush = module("ntp");
        plan(modulePush);

        assertThat(publishedFor(modulePush.requestId())).singleElement().satisfies(p -> {
            assertThat(p.environment()).isEqualTo("production");
            assertThat(p.commit()).as("the control commit stays").isEqualTo(production);
            assertThat(p.modules()).extracting(PlannedModule::sha).containsExactly(moved);
        });
    }

    @Test
    void aPinnedPlanIsLeftAloneByModulePushesFullSyncsAndTheCatchUpButNotByAPush() throws Exception {
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        control.commit("production", Map.of("Puppetfile", puppetfile()));
        plan(push("production"));
        DeployPlan rollback = book.latest("production").orElseThrow().reactivated(UUID.randomUUID(), Instant.now());
        book.record(rollback);
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        control.commit("production", Map.of("Puppetfile", puppetfile(), "v", "2"));
        int before = published.size();

        plan(module("ntp"));
        plan(DeployRequest.fullSync(Provider.GITEA, Instant.now()));
        catchUp();
        assertThat(published).hasSize(before);
        assertThat(book.latest("production")).contains(rollback);

        DeployRequest unpin = push("production");
        plan(unpin);
        assertThat(publishedFor(unpin.requestId())).singleElement().satisfies(p -> {
            assertThat(p.pinned()).isFalse();
            assertThat(p.digest()).isNotEqualTo(rollback.digest());
        });
    }

    @Test
    void aFullSyncPlansWhatChangedAndMakesAbsentWhatNoBranchDeploysAnyMore() throws Exception {
        control.commit("production", Map.of("Puppetfile", ""));
        control.commit("feature", Map.of("Puppetfile", ""));
        plan(push("production"));
        plan(push("feature"));
        String production = control.commit("production", Map.of("Puppetfile", "", "v", "2"));
        control.deleteBranch("feature");
        DeployRequest sync = DeployRequest.fullSync(Provider.GITEA, Instant.now());

        plan(sync);

        assertThat(publishedFor(sync.requestId())).extracting(DeployPlan::environment, DeployPlan::status,
                DeployPlan::commit).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("production", PlanStatus.PLANNED, production),
                        org.assertj.core.groups.Tuple.tuple("feature", PlanStatus.ABSENT, null));
        DeployRequest unchanged = DeployRequest.fullSync(Provider.GITEA, Instant.now());
        plan(unchanged);
        assertThat(publishedFor(unchanged.requestId())).as("answered with the unchanged plan; feature stays ABSENT")
                .singleElement().satisfies(p -> {
                    assertThat(p.environment()).isEqualTo("production");
                    assertThat(p.commit()).isEqualTo(production);
                    assertThat(p.digest()).isEqualTo(publishedFor(sync.requestId()).stream()
                            .filter(s -> s.environment().equals("production")).findFirst().orElseThrow().digest());
                });
        int before = published.size();
        catchUp();
        assertThat(published).as("the catch-up publishes only what changed").hasSize(before);
    }

    @Test
    void theCatchUpPlansOnlyWhatHasNoPlanOrIsBehindItsBranch() throws Exception {
        control.commit("production", Map.of("Puppetfile", ""));
        control.commit("staging", Map.of("Puppetfile", ""));
        plan(push("production"));
        plan(push("staging"));
        String staging = control.commit("staging", Map.of("Puppetfile", "", "v", "2"));
        String development = control.commit("development", Map.of("Puppetfile", ""));
        int before = published.size();

        catchUp();

        assertThat(published.subList(before, published.size()))
                .extracting(DeployPlan::environment, DeployPlan::commit).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("staging", staging),
                        org.assertj.core.groups.Tuple.tuple("development", development));
    }
}
