package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.testing.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning against real git repositories and a Forge stub: every module pinned as the native backend would deploy
 * it, and what the native backend would fail on is a FAILED plan with its message. Nothing is written into the
 * environments directory.
 */
class PlanResolverTest {

    private static final Instant AT = Instant.parse("2026-12-02T04:00:00Z");

    @TempDir
    Path tmp;

    private GitRepo control;
    private GitRepo apache;
    private GitRepo ntp;
    private ForgeStub forge;
    private NativeDeployer deployer;
    private PlanResolver resolver;
    private String apacheV1;
    private String thingSha256;

    @BeforeEach
    void setUp() throws Exception {
        control = GitRepo.createBare(tmp.resolve("control.git"));
        apache = GitRepo.createBare(tmp.resolve("apache.git"));
        ntp = GitRepo.createBare(tmp.resolve("ntp.git"));
        forge = new ForgeStub();
        apacheV1 = apache.commit("main", Map.of("VERSION", "1"));
        apache.tag("v1.0.0", apacheV1);
        byte[] thing = ForgeStub.tarball("acme-thing-1.2.3", Map.of("manifests/init.pp", "class thing {}"));
        thingSha256 = ForgeStub.sha256(thing);
        forge.publishRaw("acme-thing", "1.2.3", thing, thingSha256);
        Files.createDirectories(tmp.resolve("environments"));
        DeployerSettings settings = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache"),
                List.of(TestSources.source("control", control.url(), null)), forge.url(), 4, Duration.ofSeconds(30),
                null, GitRemotesFixture.plain(tmp), "rugged", 3);
        deployer = new NativeDeployer(settings);
        resolver = deployer.planResolver();
    }

    @AfterEach
    void tearDown() {
        deployer.close();
        forge.close();
        Stream.of(control, apache, ntp).forEach(GitRepo::close);
    }

    private String puppetfile(String apacheTag, String thing) {
        return "mod 'puppetlabs-apache', :git => '" + apache.url() + "', :tag => '" + apacheTag + "'\n"
                + "mod 'ntp',\n  git: '" + ntp.url() + "',\n  branch: 'main',\n  exclude_spec: true\n"
                + "mod " + thing + "\n"
                + "mod 'role', :local => true\n";
    }

    private static EnvironmentTarget target(String branch, String commit) {
        return new EnvironmentTarget(branch, "control", null, branch, commit);
    }

    private DeployPlan plan(String branch, String commit, DeployPlan previous) throws Exception {
        return resolver.plan(UUID.randomUUID(), target(branch, commit), previous, AT);
    }

    @Test
    void everyModuleIsPinnedAndAModuleOnAMovingBranchToItsCommitAtPlanningTime() throws Exception {
        String ntpV1 = ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0", "'acme/thing', '1.2.3'")));
        UUID request = UUID.randomUUID();

        DeployPlan first = resolver.plan(request, target("production", null), null, AT);

        assertThat(first.status()).as(first.error()).isEqualTo(PlanStatus.PLANNED);
        assertThat(first.requestId()).isEqualTo(request);
        assertThat(first.commit()).isEqualTo(commit);
        assertThat(first.source()).isEqualTo("control");
        assertThat(first.branch()).isEqualTo("production");
        assertThat(first.rollout()).isEqualTo(Rollout.IMMEDIATE);
        assertThat(first.pinned()).isFalse();
        assertThat(first.modules()).containsExactly(
                new PlannedModule("apache", "modules/apache", PlannedModule.Type.GIT, apache.url(), "v1.0.0",
                        apacheV1, null, false),
                new PlannedModule("ntp", "modules/ntp", PlannedModule.Type.GIT, ntp.url(), "main", ntpV1, null, true),
                new PlannedModule("thing", "modules/thing", PlannedModule.Type.FORGE, "acme-thing", "1.2.3", null,
                        thingSha256, false),
                new PlannedModule("role", "modules/role", PlannedModule.Type.LOCAL, "", "0.0.0 (local)", null, null,
                        false));
        assertThat(first.digest()).isEqualTo(DeployPlan.digestOf(commit, first.modules()));

        String ntpV2 = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        DeployPlan second = plan("production", null, first);

        assertThat(first.modules().get(1).sha()).as("a plan never moves").isEqualTo(ntpV1);
        assertThat(second.modules().get(1).sha()).isEqualTo(ntpV2);
        assertThat(second.commit()).isEqualTo(commit);
        assertThat(second.digest()).isNotEqualTo(first.digest());
        assertThat(plan("production", commit, second).digest()).as("nothing moved: same plan")
                .isEqualTo(second.digest());
        try (Stream<Path> written = Files.list(tmp.resolve("environments"))) {
            assertThat(written).as("planning deploys nothing").isEmpty();
        }
    }

    @Test
    void oneRequestPlanningManyEnvironmentsAsksEachRemoteOnceAndTheNextRequestAsksAgain() throws Exception {
        String ntpV1 = ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        String puppetfile = puppetfile("v1.0.0", "'acme/thing', '1.2.3'");
        control.commit("production", Map.of("Puppetfile", puppetfile));
        control.commit("staging", Map.of("Puppetfile", puppetfile));
        long request = System.nanoTime();

        DeployPlan production = resolver.resolve(UUID.randomUUID(), target("production", null), null, AT, request)
                .plan();
        String ntpV2 = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        DeployPlan staging = resolver.resolve(UUID.randomUUID(), target("staging", null), null, AT, request).plan();
        DeployPlan next = resolver.resolve(UUID.randomUUID(), target("staging", null), null, AT, System.nanoTime())
                .plan();

        assertThat(production.modules().get(1).sha()).isEqualTo(ntpV1);
        assertThat(staging.modules().get(1).sha()).as("the request's fetch of ntp counts for staging too")
                .isEqualTo(ntpV1);
        assertThat(next.modules().get(1).sha()).as("a later request fetches again").isEqualTo(ntpV2);
    }

    @Test
    void aModuleRefThatDoesNotExistFailsThePlanNamingTheModuleAndItsLine() throws Exception {
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v9.9.9", "'acme/thing', '1.2.3'")));

        DeployPlan plan = plan("production", null, null);

        assertThat(plan.status()).isEqualTo(PlanStatus.FAILED);
        assertThat(plan.error()).isEqualTo("module apache (Puppetfile line 1): ref 'v9.9.9' not found in "
                + apache.url());
        assertThat(plan.commit()).isEqualTo(commit);
        assertThat(plan.digest()).isNull();
        assertThat(plan.modules()).isEmpty();
    }

    @Test
    void aPuppetfileThatDoesNotParseFailsThePlan() throws Exception {
        String commit = control.commit("production", Map.of("Puppetfile", "mod 'ntp', :git =>\n"));

        DeployPlan plan = plan("production", null, null);

        assertThat(plan.status()).isEqualTo(PlanStatus.FAILED);
        assertThat(plan.error()).startsWith("environment production at " + commit.substring(0, 8) + ": ")
                .contains("line 1");
        assertThat(plan.commit()).isEqualTo(commit);
    }

    @Test
    void aMissingCommitOrBranchOrForgeReleaseFailsThePlan() throws Exception {
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0", "'acme/thing', '9.9.9'")));
        String missing = "0".repeat(40);

        assertThat(plan("production", missing, null).error())
                .isEqualTo("commit " + missing + " does not exist in " + control.url());
        assertThat(plan("gone", null, null).error())
                .isEqualTo("branch 'gone' does not exist in " + control.url());
        assertThat(plan("production", null, null).error())
                .isEqualTo("the Forge at " + forge.url() + " has no release acme-thing 9.9.9");
    }

    @Test
    void aForgeThatSaysNotNowIsAskedAgainAndWhenItKeepsSayingSoThePlanFailsTransiently() throws Exception {
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0", "'acme/thing', '1.2.3'")));
        forge.failingStatus = 502;
        forge.failNext.set(3);

        PlanResolver.Resolution down = resolver.resolve(UUID.randomUUID(), target("production", null), null, AT);

        assertThat(down.plan().status()).isEqualTo(PlanStatus.FAILED);
        assertThat(down.plan().error())
                .isEqualTo("the Forge at " + forge.url() + " answered HTTP 502 for release acme-thing 1.2.3 3 times");
        assertThat(down.transientFailure()).as("planned again later, like an unreachable repository").isTrue();

        forge.failingStatus = 429;
        forge.failNext.set(2);
        int before = forge.requests.get();
        DeployPlan blip = plan("production", null, null);
        assertThat(blip.status()).as(blip.error()).isEqualTo(PlanStatus.PLANNED);
        assertThat(forge.requests.get() - before).as("two refusals, then the answer").isEqualTo(3);
    }

    @Test
    void aForgeModuleWithoutVersionKeepsThePreviousPlansVersionAndLatestFollowsTheForge() throws Exception {
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0", "'acme/thing'")));
        control.commit("latest", Map.of("Puppetfile", puppetfile("v1.0.0", "'acme/thing', :latest")));

        DeployPlan first = plan("production", null, null);
        assertThat(first.modules().get(2).version()).as("nothing installed yet: the current release")
                .isEqualTo("1.2.3");
        forge.publish("acme-thing", "1.3.0", Map.of("manifests/init.pp", "class thing { $v = 13 }"));

        assertThat(plan("production", null, first).modules().get(2).version()).as("r10k keeps what is installed")
                .isEqualTo("1.2.3");
        assertThat(plan("production", null, null).modules().get(2).version()).isEqualTo("1.3.0");
        DeployPlan latest = plan("latest", null, first);
        assertThat(latest.modules().get(2).version()).isEqualTo("1.3.0");
        assertThat(latest.modules().get(2).sha256()).isNotEqualTo(first.modules().get(2).sha256());
    }

    @Test
    void aModuleRequestReResolvesThatModuleAloneAtThePlansCommit() throws Exception {
        String apacheMain = apache.commit("main", Map.of("VERSION", "main-1"));
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}"));
        String puppetfile = "mod 'apache', :git => '" + apache.url() + "', :branch => 'main'\n"
                + "mod 'ntp', :git => '" + ntp.url() + "', :branch => 'main'\n";
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile));
        DeployPlan current = plan("production", null, null);
        String apacheMoved = apache.commit("main", Map.of("VERSION", "main-2"));
        String ntpMoved = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        control.commit("production", Map.of("Puppetfile", puppetfile, "later", "not planned by a module push"));
        UUID request = UUID.randomUUID();

        DeployPlan replanned = resolver.replanModule(request, current, "ntp", AT);

        assertThat(replanned.status()).as(replanned.error()).isEqualTo(PlanStatus.PLANNED);
        assertThat(replanned.requestId()).isEqualTo(request);
        assertThat(replanned.commit()).isEqualTo(commit);
        assertThat(replanned.modules()).extracting(PlannedModule::sha).containsExactly(apacheMain, ntpMoved);
        assertThat(replanned.digest()).isNotEqualTo(current.digest());
        assertThat(apacheMoved).isNotEqualTo(apacheMain);
        assertThat(resolver.replanModule(request, replanned, "ntp", AT).digest()).isEqualTo(replanned.digest());
    }

    @Test
    void anUnreachableControlRepositoryIsATransientFailureNamingItsUrlOnce() throws Exception {
        String missing = tmp.resolve("moved-away.git").toUri().toString();
        DeployerSettings settings = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache-lost"),
                List.of(TestSources.source("lost", missing, null)), forge.url(), 4, Duration.ofSeconds(30), null,
                GitRemotesFixture.plain(tmp), "rugged", 3);
        NativeDeployer lost = new NativeDeployer(settings);
        try {
            UUID request = UUID.randomUUID();
            PlanResolver.Resolution resolution = lost.planResolver().resolve(request,
                    new EnvironmentTarget("production", "lost", null, "production", null), null, AT);

            assertThat(resolution.transientFailure()).isTrue();
            DeployPlan plan = resolution.plan();
            assertThat(plan.status()).isEqualTo(PlanStatus.FAILED);
            assertThat(plan.requestId()).isEqualTo(request);
            assertThat(plan.error()).isEqualTo("cannot fetch " + missing + ": not found.");
            assertThat(plan.commit()).isNull();
        } finally {
            lost.close();
        }
    }

    @Test
    void anUnreachableModuleRepositoryIsATransientFailureAMissingRefOrABrokenPuppetfileIsNot() throws Exception {
        String missing = tmp.resolve("ntp-moved.git").toUri().toString();
        control.commit("production", Map.of("Puppetfile", "mod 'ntp', :git => '" + missing + "'\n"));
        control.commit("ref", Map.of("Puppetfile", puppetfile("v9.9.9", "'acme/thing', '1.2.3'")));
        control.commit("broken", Map.of("Puppetfile", "mod 'ntp', :git =>\n"));

        PlanResolver.Resolution unreachable = resolver.resolve(UUID.randomUUID(), target("production", null), null,
                AT);

        assertThat(unreachable.transientFailure()).isTrue();
        assertThat(unreachable.plan().status()).isEqualTo(PlanStatus.FAILED);
        assertThat(unreachable.plan().error()).isEqualTo("cannot fetch " + missing + ": not found.");
        for (String content : List.of("ref", "broken")) {
            PlanResolver.Resolution failed = resolver.resolve(UUID.randomUUID(), target(content, null), null, AT);
            assertThat(failed.plan().status()).as(content).isEqualTo(PlanStatus.FAILED);
            assertThat(failed.transientFailure()).as(failed.plan().error()).isFalse();
        }
        assertThat(resolver.resolve(UUID.randomUUID(), target("gone", null), null, AT).transientFailure())
                .as("a branch missing from a control repository fetched fine").isFalse();
    }

    @Test
    void credentialsInAModuleUrlNeverReachThePlan() throws Exception {
        String secret = "https://x-access-token:s3cr3t@127.0.0.1:1/nothing.git";
        control.commit("production", Map.of("Puppetfile", "mod 'secret', :git => '" + secret + "'\n"));

        DeployPlan plan = plan("production", null, null);

        assertThat(plan.status()).isEqualTo(PlanStatus.FAILED);
        assertThat(plan.error()).doesNotContain("s3cr3t").contains("https://***@127.0.0.1:1/nothing.git");
        assertThat(plan.error().split("127\\.0\\.0\\.1:1/nothing", -1)).as(plan.error()).hasSize(2);
        assertThat(new String(io.momentum.shared.json.EventCodec.encode(plan), StandardCharsets.UTF_8))
                .doesNotContain("s3cr3t");
    }
}
