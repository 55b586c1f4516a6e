package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.source.Source;
import io.momentum.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend deploying plans exactly, on real git repositories and a Forge stub. Plans come from
 * {@link TestPlans} (the planner's resolution, in a cache of its own) unless a test writes one by hand.
 */
class NativeDeployerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path environments;
    private GitRepo control;
    private GitRepo apache;
    private GitRepo ntp;
    private ForgeStub forge;
    private NativeDeployer deployer;
    private TestPlans plans;
    private String apacheV1;
    private String ntpHead;

    @BeforeEach
    void setUp() throws Exception {
        environments = tmp.resolve("environments");
        Files.createDirectories(environments);
        control = GitRepo.createBare(tmp.resolve("control.git"));
        apache = GitRepo.createBare(tmp.resolve("apache.git"));
        ntp = GitRepo.createBare(tmp.resolve("ntp.git"));
        forge = new ForgeStub();
        apacheV1 = apache.commit("main", Map.of("manifests/init.pp", "class apache {}", "VERSION", "1"));
        apache.tag("v1.0.0", apacheV1);
        ntpHead = ntp.commit("main", Map.of("manifests/init.pp", "class ntp {}", "spec/ntp_spec.rb", "spec"));
        forge.publish("acme-thing", "1.2.3", Map.of("metadata.json", "{\"name\":\"acme-thing\"}",
                "manifests/init.pp", "class thing {}"));
        deployer = new NativeDeployer(settings(List.of(TestSources.source("control", control.url(), null))));
        plans = new TestPlans(settings(List.of(TestSources.source("control", control.url(), null))));
    }

    @AfterEach
    void tearDown() {
        deployer.close();
        plans.close();
        forge.close();
        Stream.of(control, apache, ntp).forEach(GitRepo::close);
    }

    private DeployerSettings settings(List<Source> sources) {
        return settings(sources, 3);
    }

    private DeployerSettings settings(List<Source> sources, int keepVersions) {
        return new DeployerSettings(environments, tmp.resolve("cache"), sources, forge.url(), 4,
                Duration.ofSeconds(30), null, GitRemotesFixture.plain(tmp), "rugged", keepVersions);
    }

    /** Plans the target (as the planner would) and deploys the plan. */
    private DeployOutcome deploy(EnvironmentTarget target) throws DeployException {
        return deployer.deploy(plans.plan(target));
    }

    private static DeployPlan handWritten(String environment, String commit, List<PlannedModule> modules) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, commit, modules,
                Rollout.IMMEDIATE, Instant.now());
    }

    private List<String> keptDigests(String environment) throws Exception {
        List<String> digests = new ArrayList<>();
        for (String version : versions(environment)) {
            digests.add(JSON.readTree(environments.resolve(".momentum").resolve(environment).resolve(version)
                    .resolve("deploy.json").toFile()).get("planDigest").asText());
        }
        return digests;
    }

    private List<String> versions(String environment) throws Exception {
        try (Stream<Path> versions = Files.list(environments.resolve(".momentum").resolve(environment))) {
            return versions.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String puppetfile(String apacheRef) {
        return "forge 'https://forgeapi.puppet.com'\n"
                + "mod 'puppetlabs-apache', :git => '" + apache.url() + "', :tag => '" + apacheRef + "'\n"
                + "mod 'ntp',\n  git: '" + ntp.url() + "',\n  branch: 'main',\n  exclude_spec: true\n"
                + "mod 'acme/thing', '1.2.3'\n"
                + "mod 'role', :local => true\n";
    }

    private EnvironmentTarget target(String branch) {
        return new EnvironmentTarget(branch, "control", control.url(), branch, null);
    }

    private String read(String path) throws Exception {
        return Files.readString(environments.resolve(path));
    }

    private JsonNode deployFile(String environment) throws Exception {
        return JSON.readTree(environments.resolve(environment).resolve(".r10k-deploy.json").toFile());
    }

    @Test
    void pushDeploysTheEnvironmentWithItsModulesAndAnR10kDeployFile() throws Exception {
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0"),
                "modules/role/manifests/init.pp", "class role {}", "manifests/site.pp", "node default {}"));

        DeployPlan plan = plans.plan(target("production"));
        DeployOutcome outcome = deployer.deploy(plan);

        assertThat(outcome).isEqualTo(new DeployOutcome("production", commit, new ModuleCounts(3, 0), false,
                plan.digest()));
        assertThat(deployer.isLive(plan)).isTrue();
        assertThat(Files.isSymbolicLink(environments.resolve("production"))).isTrue();
        assertThat(read("production/manifests/site.pp")).isEqualTo("node default {}");
        assertThat(read("production/modules/apache/VERSION")).isEqualTo("1");
        assertThat(read("production/modules/ntp/manifests/init.pp")).isEqualTo("class ntp {}");
        assertThat(environments.resolve("production/modules/ntp/spec")).doesNotExist();
        assertThat(read("production/modules/thing/manifests/init.pp")).isEqualTo("class thing {}");
        assertThat(read("production/modules/role/manifests/init.pp")).isEqualTo("class role {}");
        // A local module is the control repository's own directory; the others link to their releases' trees.
        assertThat(Files.isSymbolicLink(environments.resolve("production/modules/role"))).isFalse();
        assertThat(Files.isSymbolicLink(environments.resolve("production/modules/thing"))).isTrue();
        assertThat(environments.resolve("production/.git")).doesNotExist();

        JsonNode info = deployFile("production");
        assertThat(info.fieldNames()).toIterable().containsExactly("name", "signature", "started_at", "finished_at",
                "deploy_success", "module_deploys");
        assertThat(info.get("name").asText()).isEqualTo("production");
        assertThat(info.get("signature").asText()).isEqualTo(commit);
        assertThat(info.get("deploy_success").asBoolean()).isTrue();
        assertThat(info.get("started_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
        assertThat(info.get("module_deploys").toString()).isEqualTo("[{\"name\":\"apache\",\"version\":\"v1.0.0\","
                + "\"sha\":\"" + apacheV1 + "\"},{\"name\":\"ntp\",\"version\":\"main\",\"sha\":\"" + ntpHead + "\"},"
                + "{\"name\":\"thing\",\"version\":\"1.2.3\",\"sha\":null},"
                + "{\"name\":\"role\",\"version\":\"0.0.0 (local)\",\"sha\":null}]");
        assertThat(Files.readString(environments.resolve("production/.r10k-deploy.json")))
                .startsWith("{\n  \"name\": \"production\",\n  \"signature\": \"" + commit + "\",\n")
                .endsWith("  ]\n}\n");
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", commit));
    }

    @Test
    void theSamePlanIsANoOpAndAChangedModuleIsTheOnlyOneWrittenAgain() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deploy(target("production"));
        Path firstVersion = environments.resolve("production").toRealPath();

        DeployOutcome again = deploy(target("production"));
        assertThat(again.unchanged()).isTrue();
        assertThat(again.modules()).isEqualTo(new ModuleCounts(0, 3));
        assertThat(environments.resolve("production").toRealPath()).isEqualTo(firstVersion);

        String ntpV2 = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        DeployOutcome moved = deploy(target("production"));
        assertThat(moved.unchanged()).isFalse();
        assertThat(moved.modules()).isEqualTo(new ModuleCounts(1, 2));
        assertThat(read("production/modules/ntp/manifests/init.pp")).contains("$v = 2");
        assertThat(deployFile("production").get("module_deploys").get(1).get("sha").asText()).isEqualTo(ntpV2);
        // Every module directory is a relative link to its release's tree: the reused ones to the same tree as in
        // the previous version (kept for rollbacks), the changed one to a new tree.
        Path apacheDir = environments.resolve("production").toRealPath().resolve("modules/apache");
        assertThat(Files.isSymbolicLink(apacheDir)).isTrue();
        assertThat(Files.readSymbolicLink(apacheDir)).isEqualTo(Path.of("../../../../.modules")
                .resolve(Files.readSymbolicLink(apacheDir).getFileName()));
        assertThat(Files.readSymbolicLink(apacheDir))
                .isEqualTo(Files.readSymbolicLink(firstVersion.resolve("modules/apache")));
        assertThat(Files.readSymbolicLink(environments.resolve("production").toRealPath().resolve("modules/ntp")))
                .isNotEqualTo(Files.readSymbolicLink(firstVersion.resolve("modules/ntp")));
        // The control commit did not change: its files are linked from the previous version, not written again.
        assertThat(Files.isSameFile(environments.resolve("production/Puppetfile"), firstVersion.resolve("Puppetfile")))
                .isTrue();
        assertThat(Files.isSameFile(environments.resolve("production/.r10k-deploy.json"),
                firstVersion.resolve(".r10k-deploy.json"))).isFalse();
        assertThat(versions("production")).hasSize(2);
    }

    @Test
    void aPlanPinsAModuleAtItsCommitEvenThoughItsBranchMovedOn() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        DeployPlan plan = plans.plan(target("production"));
        String ntpLater = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $later = true }"));

        // This deployer's mirrors are empty: it fetches ntp, which brings the moved branch, and still writes the pin.
        DeployOutcome outcome = deployer.deploy(plan);

        assertThat(outcome.planDigest()).isEqualTo(plan.digest());
        assertThat(read("production/modules/ntp/manifests/init.pp")).isEqualTo("class ntp {}");
        assertThat(deployFile("production").get("module_deploys").get(1).get("sha").asText()).isEqualTo(ntpHead)
                .isNotEqualTo(ntpLater);
        assertThat(deployFile("production").get("module_deploys").get(1).get("version").asText()).isEqualTo("main");
    }

    @Test
    void aKeptPlanIsReactivatedByMovingTheSymlinkWithoutFetchingAnything() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0"), "v", "1"));
        DeployPlan first = plans.plan(target("production"));
        deployer.deploy(first);
        Path firstVersion = environments.resolve("production").toRealPath();
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        control.commit("production", Map.of("v", "2"));
        DeployPlan second = plans.plan(target("production"));
        deployer.deploy(second);
        assertThat(read("production/v")).isEqualTo("2");
        List<String> before = versions("production");
        long written = Files.getLastModifiedTime(firstVersion.resolve(".r10k-deploy.json")).toMillis();

        // Every remote and the Forge are gone: only the kept version can serve the rollback.
        forge.close();
        Stream.of(control, apache, ntp).forEach(GitRepo::close);
        for (String repo : List.of("control.git", "apache.git", "ntp.git")) {
            FileTrees.delete(tmp.resolve(repo));
        }
        DeployOutcome rolledBack = deployer.deploy(first.reactivated(UUID.randomUUID(), Instant.now()));

        assertThat(rolledBack.unchanged()).isFalse();
        assertThat(rolledBack.planDigest()).isEqualTo(first.digest());
        assertThat(rolledBack.modules()).isEqualTo(new ModuleCounts(0, 3));
        assertThat(environments.resolve("production").toRealPath()).isEqualTo(firstVersion);
        assertThat(read("production/v")).isEqualTo("1");
        assertThat(read("production/modules/ntp/manifests/init.pp")).isEqualTo("class ntp {}");
        assertThat(versions("production")).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(firstVersion.resolve(".r10k-deploy.json")).toMillis()).isEqualTo(written);
        assertThat(deployer.isLive(first)).isTrue();
        assertThat(deployer.isLive(second)).isFalse();
        // Forward again, the same way.
        assertThat(deployer.deploy(second).unchanged()).isFalse();
        assertThat(read("production/v")).isEqualTo("2");
    }

    @Test
    void keepVersionsPrunesTheOldestVersionsButNeverTheLiveOne() throws Exception {
        try (NativeDeployer keepTwo = new NativeDeployer(settings(List.of(TestSources.source("control",
                control.url(), null)), 2))) {
            List<DeployPlan> deployed = new ArrayList<>();
            for (String v : List.of("1", "2", "3")) {
                control.commit("production", Map.of("Puppetfile", "", "v", v));
                DeployPlan plan = plans.plan(target("production"));
                keepTwo.deploy(plan);
                deployed.add(plan);
            }
            // The oldest is gone; the two newest are kept and re-activate without the remote.
            assertThat(keptDigests("production")).containsExactlyInAnyOrder(deployed.get(1).digest(),
                    deployed.get(2).digest());
            control.close();
            FileTrees.delete(tmp.resolve("control.git"));
            assertThat(keepTwo.deploy(deployed.get(1)).unchanged()).isFalse();
            assertThat(read("production/v")).isEqualTo("2");
            assertThat(keepTwo.deploy(deployed.get(2)).unchanged()).isFalse();
            assertThat(read("production/v")).isEqualTo("3");
            assertThat(versions("production")).hasSize(2);
        }
        assertThatThrownBy(() -> new NativeDeployer(settings(List.of(), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep at least the live version");
    }

    @Test
    void stagingWritesTheVersionBesideTheLiveOneWhichKeepsServingAndSurvivesPruningUntilActivated()
            throws Exception {
        try (NativeDeployer keepTwo = new NativeDeployer(settings(List.of(TestSources.source("control",
                control.url(), null)), 2))) {
            List<DeployPlan> deployed = new ArrayList<>();
            for (String v : List.of("1", "2")) {
                control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0"), "v", v));
                DeployPlan plan = plans.plan(target("production"));
                keepTwo.deploy(plan);
                deployed.add(plan);
            }
            Path liveVersion = environments.resolve("production").toRealPath();
            Path link = Files.readSymbolicLink(environments.resolve("production"));
            control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0"), "v", "3"));
            DeployPlan fleet = plans.plan(target("production"));

            DeployOutcome staged = keepTwo.stage(fleet);

            assertThat(staged.unchanged()).isFalse();
            assertThat(staged.planDigest()).isEqualTo(fleet.digest());
            assertThat(staged.modules()).isEqualTo(new ModuleCounts(0, 3));
            assertThat(Files.readSymbolicLink(environments.resolve("production"))).isEqualTo(link);
            assertThat(read("production/v")).isEqualTo("2");
            assertThat(keepTwo.isLive(fleet)).isFalse();
            assertThat(keepTwo.isStaged(fleet)).isTrue();
            assertThat(keepTwo.isStaged(deployed.get(1))).isFalse();
            // keep-versions 2: the live and the staged version stay, the oldest goes.
            assertThat(keptDigests("production")).containsExactlyInAnyOrder(deployed.get(1).digest(),
                    fleet.digest());
            assertThat(keepTwo.deployedEnvironments()).containsEntry("production", deployed.get(1).commit());
            assertNoStagingLeft("production");
            // Staged already: nothing is written again.
            List<String> before = versions("production");
            assertThat(keepTwo.stage(fleet).unchanged()).isTrue();
            assertThat(versions("production")).isEqualTo(before);
            assertThatThrownBy(() -> keepTwo.activate(deployed.get(0))).isInstanceOf(DeployException.class)
                    .hasMessageContaining("is not staged on this master");
            assertThat(environments.resolve("production").toRealPath()).isEqualTo(liveVersion);

            // Every remote and the Forge are gone: the activation moves the symlink and nothing else.
            forge.close();
            Stream.of(control, apache, ntp).forEach(GitRepo::close);
            for (String repo : List.of("control.git", "apache.git", "ntp.git")) {
                FileTrees.delete(tmp.resolve(repo));
            }
            DeployOutcome switched = keepTwo.activate(fleet);

            assertThat(switched.unchanged()).isFalse();
            assertThat(switched.planDigest()).isEqualTo(fleet.digest());
            assertThat(read("production/v")).isEqualTo("3");
            assertThat(keepTwo.isLive(fleet)).isTrue();
            assertThat(versions("production")).isEqualTo(before);
            assertThat(keepTwo.activate(fleet).unchanged()).isTrue();
            // The version it replaced is kept: rolling back to it is a symlink too.
            assertThat(keepTwo.isStaged(deployed.get(1))).isTrue();
        }
    }

    @Test
    void aCommitTheRemoteNoLongerHasFailsClearlyAndTheDeployFileTellsTheTruth() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", ""));
        deploy(target("production"));
        String gone = "f".repeat(40);
        DeployPlan lostModule = handWritten("production", good, List.of(new PlannedModule("ntp", "modules/ntp",
                PlannedModule.Type.GIT, ntp.url(), "main", gone, null, false)));
        DeployPlan lostControl = handWritten("production", "e".repeat(40), List.of());

        assertThatThrownBy(() -> deployer.deploy(lostModule)).isInstanceOf(DeployException.class)
                .hasMessage("module ntp: commit " + gone + " is not in " + ntp.url()
                        + " (any more): the plan cannot be deployed");
        JsonNode attempt = JSON.readTree(environments.resolve(".momentum/production/last-attempt.json").toFile());
        assertThat(attempt.get("signature").asText()).isEqualTo(good);
        assertThat(attempt.get("deploy_success").asBoolean()).isFalse();
        assertThat(attempt.get("module_deploys").get(0).get("sha").asText()).isEqualTo(gone);
        assertThatThrownBy(() -> deployer.deploy(lostControl)).isInstanceOf(DeployException.class)
                .isNotInstanceOf(ControlCommitUnreachable.class)
                .hasMessageContaining("commit " + "e".repeat(40) + " is not in " + control.url());

        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertThat(deployFile("production").get("deploy_success").asBoolean()).isTrue();
        assertNoStagingLeft("production");
    }

    @Test
    void aForgeTarballThatDiffersFromThePlanFails() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", ""));
        deploy(target("production"));
        control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '1.2.3'\n"));
        DeployPlan plan = plans.plan(target("production"));
        // The release is replaced on the Forge after planning (the Forge's own checksum matches the new file).
        forge.publish("acme-thing", "1.2.3", Map.of("manifests/init.pp", "class thing { $evil = true }"));

        assertThatThrownBy(() -> deployer.deploy(plan)).isInstanceOf(DeployException.class)
                .hasMessageContaining("the Forge tarball of acme-thing 1.2.3 fails the plan's SHA-256 check (planned "
                        + plan.modules().get(0).sha256());
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertThat(environments.resolve("production/modules")).doesNotExist();
        assertThat(tmp.resolve("cache/forge/acme-thing-1.2.3.tar.gz")).doesNotExist();
    }

    @Test
    void environmentsDeployInParallelSharingTheirMirrors() throws Exception {
        List<String> branches = List.of("production", "develop", "staging", "qa");
        Map<String, DeployPlan> planned = new HashMap<>();
        for (String branch : branches) {
            control.commit(branch, Map.of("Puppetfile", puppetfile("v1.0.0"), "name", branch));
            planned.put(branch, plans.plan(target(branch)));
        }
        List<java.util.concurrent.Future<DeployOutcome>> deploys = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(branches.size());
        try {
            for (String branch : branches) {
                deploys.add(pool.submit(() -> deployer.deploy(planned.get(branch))));
            }
            for (java.util.concurrent.Future<DeployOutcome> deploy : deploys) {
                assertThat(deploy.get(60, TimeUnit.SECONDS).modules()).isEqualTo(new ModuleCounts(3, 0));
            }
        } finally {
            pool.shutdownNow();
        }
        for (String branch : branches) {
            assertThat(read(branch + "/name")).isEqualTo(branch);
            assertThat(read(branch + "/modules/apache/VERSION")).isEqualTo("1");
            assertThat(read(branch + "/modules/thing/manifests/init.pp")).isEqualTo("class thing {}");
            // Each module release was written once and every environment links to it.
            for (String file : List.of("modules/apache/VERSION", "modules/ntp/manifests/init.pp",
                    "modules/thing/manifests/init.pp")) {
                assertThat(Files.isSameFile(environments.resolve(branch).resolve(file),
                        environments.resolve("production").resolve(file))).isTrue();
            }
            assertThat(environments.resolve(branch + "/modules/ntp/spec")).doesNotExist();
        }
        assertThat(moduleTrees()).hasSize(3);
        assertThat(deployer.deployedEnvironments()).containsOnlyKeys(branches);
    }

    @Test
    void aModuleTreeNoVersionLinksAnyMoreIsRemovedAndOneStillUsedStays() throws Exception {
        try (NativeDeployer keepOne = new NativeDeployer(settings(List.of(TestSources.source("control",
                control.url(), null)), 1))) {
            control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
            control.commit("develop", Map.of("Puppetfile",
                    "mod 'ntp', :git => '" + ntp.url() + "', :branch => 'main'\n"));
            keepOne.deploy(plans.plan(target("production")));
            keepOne.deploy(plans.plan(target("develop")));
            // production excludes ntp's spec, develop does not: two trees of ntp.
            assertThat(moduleTrees()).hasSize(4);
            Files.createDirectories(environments.resolve(".momentum/.modules/.tmp-killed/manifests"));

            ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
            keepOne.deploy(plans.plan(target("production")));

            // production's old ntp tree is gone with its version, develop's stays; a killed writer's leftovers too.
            assertThat(moduleTrees()).hasSize(4).noneMatch(name -> name.startsWith(".tmp-"));
            assertThat(read("develop/modules/ntp/manifests/init.pp")).isEqualTo("class ntp {}");
            assertThat(read("production/modules/ntp/manifests/init.pp")).contains("$v = 2");
            assertThat(read("production/modules/apache/VERSION")).isEqualTo("1");
        }
    }

    @Test
    void aModuleTreeStaysWhileAnOlderKeptVersionLinksToItAndGoesOnceNoVersionDoes() throws Exception {
        try (NativeDeployer keepTwo = new NativeDeployer(settings(List.of(TestSources.source("control",
                control.url(), null)), 2))) {
            control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
            keepTwo.deploy(plans.plan(target("production")));
            String ntpFirst = treeOf("production", "modules/ntp");

            ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
            keepTwo.deploy(plans.plan(target("production")));
            String ntpSecond = treeOf("production", "modules/ntp");
            // The first version is kept for a rollback: its ntp tree stays.
            assertThat(moduleTrees()).contains(ntpFirst, ntpSecond).hasSize(4);

            ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 3 }"));
            keepTwo.deploy(plans.plan(target("production")));
            // The first version is deleted: nothing links to its ntp tree any more; the second version's stays.
            assertThat(moduleTrees()).doesNotContain(ntpFirst).contains(ntpSecond).hasSize(4);
            assertThat(read("production/modules/ntp/manifests/init.pp")).contains("$v = 3");
        }
    }

    @Test
    void deletingAVersionNeverFollowsItsModuleLinks() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        control.commit("feature", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deploy(target("production"));
        deploy(target("feature"));
        Path version = environments.resolve("feature").toRealPath().getParent();

        FileTrees.delete(version);

        assertThat(version).doesNotExist();
        assertThat(read("production/modules/apache/VERSION")).isEqualTo("1");
        assertThat(read("production/modules/thing/manifests/init.pp")).isEqualTo("class thing {}");
    }

    @Test
    void theEnvironmentsDirectoryCanBeMovedAsAWhole() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deploy(target("production"));

        Path moved = Files.move(environments, tmp.resolve("moved"));

        assertThat(Files.readString(moved.resolve("production/modules/apache/VERSION"))).isEqualTo("1");
        assertThat(Files.readString(moved.resolve("production/modules/ntp/manifests/init.pp")))
                .isEqualTo("class ntp {}");
    }

    @Test
    void aLiveVersionWithModuleDirectoriesOfItsOwnIsUpgradedToLinkedTrees() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deploy(target("production"));
        // What a version looked like before module trees were linked: real module directories, no trees.
        Path live = environments.resolve("production").toRealPath();
        for (String module : List.of("apache", "ntp", "thing")) {
            Path dir = live.resolve("modules").resolve(module);
            Path tree = dir.toRealPath();
            Files.delete(dir);
            FileTrees.link(tree, dir);
        }
        FileTrees.delete(environments.resolve(".momentum/.modules"));

        // A module push: the control files are linked from the old version, its module directories left out.
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        DeployOutcome upgraded = deploy(target("production"));

        assertThat(upgraded.modules()).isEqualTo(new ModuleCounts(1, 2));
        Path next = environments.resolve("production").toRealPath();
        for (String module : List.of("apache", "ntp", "thing")) {
            assertThat(Files.isSymbolicLink(next.resolve("modules").resolve(module))).as(module).isTrue();
        }
        // The missing trees were made from the old version's files, not checked out again.
        assertThat(Files.isSameFile(next.resolve("modules/apache/VERSION"), live.resolve("modules/apache/VERSION")))
                .isTrue();
        assertThat(moduleTrees()).hasSize(3);
        assertThat(read("production/modules/ntp/manifests/init.pp")).contains("$v = 2");
        assertThat(environments.resolve("production/modules/ntp/spec")).doesNotExist();
        assertThat(Files.isSameFile(next.resolve("Puppetfile"), live.resolve("Puppetfile"))).isTrue();
    }

    /** The key of the module tree an environment's module directory links to. */
    private String treeOf(String environment, String module) throws Exception {
        return Files.readSymbolicLink(environments.resolve(environment).toRealPath().resolve(module)).getFileName()
                .toString();
    }

    private List<String> moduleTrees() throws Exception {
        try (Stream<Path> trees = Files.list(environments.resolve(".momentum/.modules"))) {
            return trees.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void anEnvironmentDeployedByR10kIsTakenOver() throws Exception {
        Path r10kEnvironment = environments.resolve("production");
        Files.createDirectories(r10kEnvironment.resolve("manifests"));
        Files.writeString(r10kEnvironment.resolve(".r10k-deploy.json"), "{}");
        Files.writeString(r10kEnvironment.resolve("manifests/old.pp"), "old");
        String commit = control.commit("production", Map.of("Puppetfile", "", "manifests/site.pp", "new"));

        assertThat(deploy(target("production")).commit()).isEqualTo(commit);

        assertThat(Files.isSymbolicLink(r10kEnvironment)).isTrue();
        assertThat(read("production/manifests/site.pp")).isEqualTo("new");
        assertThat(environments.resolve("production/manifests/old.pp")).doesNotExist();
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", commit));
    }

    @Test
    void anEnvironmentDeployedByR10kServesUntilAStagedPlanIsActivatedThenIsTakenOver() throws Exception {
        Path r10kEnvironment = environments.resolve("production");
        Files.createDirectories(r10kEnvironment.resolve("manifests"));
        Files.writeString(r10kEnvironment.resolve(".r10k-deploy.json"), "{}");
        Files.writeString(r10kEnvironment.resolve("manifests/old.pp"), "old");
        control.commit("production", Map.of("Puppetfile", "", "manifests/site.pp", "new"));
        DeployPlan plan = plans.plan(target("production"));

        deployer.stage(plan);

        assertThat(Files.isSymbolicLink(r10kEnvironment)).isFalse();
        assertThat(read("production/manifests/old.pp")).isEqualTo("old");
        assertThat(deployer.activate(plan).unchanged()).isFalse();
        assertThat(Files.isSymbolicLink(r10kEnvironment)).isTrue();
        assertThat(read("production/manifests/site.pp")).isEqualTo("new");
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", plan.commit()));
    }

    @Test
    void prefixedSourcesDeployIntoPrefixedEnvironments() throws Exception {
        try (GitRepo team = GitRepo.createBare(tmp.resolve("team.git"));
                NativeDeployer twoSources = new NativeDeployer(settings(List.of(
                        TestSources.source("control", control.url(), null),
                        TestSources.source("team", team.url(), "team"))));
                TestPlans twoSourcePlans = new TestPlans(settings(List.of(
                        TestSources.source("control", control.url(), null),
                        TestSources.source("team", team.url(), "team"))))) {
            String production = control.commit("production", Map.of("Puppetfile", ""));
            String dev = team.commit("dev", Map.of("Puppetfile", "", "team", "yes"));

            twoSources.deploy(twoSourcePlans.plan(target("production")));
            twoSources.deploy(twoSourcePlans.plan(TestPlans.target("team_dev", "team", "dev")));

            assertThat(read("team_dev/team")).isEqualTo("yes");
            assertThat(twoSources.deployedEnvironments()).isEqualTo(Map.of("production", production, "team_dev", dev));
        }
    }

    @Test
    void deletedBranchPurgesItsEnvironmentAndLeavesUnmanagedDirectoriesAlone() throws Exception {
        String production = control.commit("production", Map.of("Puppetfile", ""));
        control.commit("feature", Map.of("Puppetfile", ""));
        deploy(target("production"));
        deploy(target("feature"));
        Files.createDirectories(environments.resolve("legacy/manifests"));

        control.deleteBranch("feature");
        deployer.purge("feature");
        deployer.purge("legacy");

        assertThat(environments.resolve("feature")).doesNotExist();
        assertThat(environments.resolve(".momentum/feature")).doesNotExist();
        assertThat(environments.resolve("legacy/manifests")).isDirectory();
        assertThat(environments.resolve("production/Puppetfile")).exists();
        assertThat(deployer.deployedEnvironments()).containsOnlyKeys("production");
        assertThatThrownBy(() -> deployer.deploy(handWritten("legacy", production, List.of())))
                .isInstanceOf(DeployException.class).hasMessageContaining("not managed by Momentum");
    }

    @Test
    void aMissingModuleRefFailsPlanningAndThePreviousVersionStaysLive() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deploy(target("production"));
        control.amend("production", Map.of("Puppetfile", puppetfile("v9.9.9"), "new-file", "x"));

        assertThatThrownBy(() -> deploy(target("production")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("module apache (Puppetfile line 2): ref 'v9.9.9' not found");

        assertThat(environments.resolve("production/new-file")).doesNotExist();
        assertThat(read("production/modules/apache/VERSION")).isEqualTo("1");
        assertThat(deployFile("production").get("signature").asText()).isEqualTo(good);
        assertThat(deployFile("production").get("deploy_success").asBoolean()).isTrue();
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertNoStagingLeft("production");
    }

    @Test
    void hostileOrBrokenInputFailsClearlyAndKeepsThePreviousVersion() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", ""));
        deploy(target("production"));

        assertThatThrownBy(() -> deployer.deploy(handWritten("../etc", good, List.of())))
                .isInstanceOf(DeployException.class).hasMessageContaining("refusing to deploy");
        for (String path : List.of("../../../tmp/evil", "/tmp/evil", "modules/.git/hooks", "")) {
            assertThatThrownBy(() -> deployer.deploy(handWritten("production", good, List.of(new PlannedModule(
                    "evil", path, PlannedModule.Type.GIT, apache.url(), "v1.0.0", apacheV1, null, false)))))
                    .isInstanceOf(DeployException.class).hasMessageContaining("leaves the environment");
        }
        assertThatThrownBy(() -> deployer.deploy(handWritten("production", good, List.of(new PlannedModule(
                "thing", "modules/thing", PlannedModule.Type.FORGE, "acme-thing", "1.2.3", null, null, false)))))
                .isInstanceOf(DeployException.class).hasMessageContaining("pins no a release and its SHA-256");
        assertThatThrownBy(() -> deployer.deploy(DeployPlan.absent(UUID.randomUUID(), "production", "control",
                "production", Instant.now()))).isInstanceOf(DeployException.class)
                .hasMessageContaining("is ABSENT, not a complete PLANNED plan");
        assertThatThrownBy(() -> deployer.deploy(new DeployPlan(UUID.randomUUID(), "production",
                PlanStatus.PLANNED, "0".repeat(64), "other", "production", good, List.of(), Rollout.IMMEDIATE, false,
                null, Instant.now()))).isInstanceOf(DeployException.class).hasMessageContaining("not configured");
        assertThatThrownBy(() -> deployer.purge("../../root"))
                .isInstanceOf(DeployException.class);

        control.commit("production", Map.of("Puppetfile",
                "mod 'evil', :git => '" + apache.url() + "',\n  :tag => 'v1.0.0', :install_path => '../../../tmp'\n"));
        assertThatThrownBy(() -> deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("Puppetfile line 1")
                .hasMessageContaining("leaves the environment");

        control.commit("production", Map.of("Puppetfile",
                "mod 'gone', :git => '" + tmp.resolve("missing.git").toUri() + "'\n"));
        assertThatThrownBy(() -> deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("cannot fetch");

        control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '7.7.7'\n"));
        assertThatThrownBy(() -> deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("has no release acme-thing 7.7.7");

        assertThatThrownBy(() -> deploy(new EnvironmentTarget("nosuch", "control", control.url(), "nosuch",
                null))).isInstanceOf(DeployException.class).hasMessageContaining("branch 'nosuch' does not exist");

        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertNoStagingLeft("production");
    }

    /** A symbolic link committed to the control repository (site -> outside) must not carry a module out. */
    @Test
    void aSymbolicLinkOfTheControlRepositoryCannotCarryAModuleOutTheEnvironment() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path work = tmp.resolve("work");
        control.commit("production", Map.of("Puppetfile", ""));
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.cloneRepository().setURI(control.url())
                .setDirectory(work.toFile()).setBranch("production").call()) {
            Files.writeString(work.resolve("Puppetfile"), "mod 'apache', :git => '" + apache.url()
                    + "', :tag => 'v1.0.0', :install_path => 'site'\n");
            Files.createSymbolicLink(work.resolve("site"), outside);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("site is a link").setAuthor("t", "t@example.net")
                    .setCommitter("t", "t@example.net").call();
            git.push().add("production").call();
        }
        assertThatThrownBy(() -> deploy(target("production"))).isInstanceOf(DeployException.class)
                .hasMessageContaining("symbolic link");
        try (Stream<Path> escaped = Files.list(outside)) {
            assertThat(escaped).isEmpty();
        }
        assertThat(deployer.deployedEnvironments()).doesNotContainKey("production");
    }

    @Test
    void forgeTarballsAreVerifiedAndCannotEscapeTheModule() throws Exception {
        control.commit("production", Map.of("Puppetfile", ""));
        deploy(target("production"));
        byte[] tarball = ForgeStub.tarball("acme-bad-1.0.0", Map.of("manifests/init.pp", "class bad {}"));
        forge.publishRaw("acme-bad", "1.0.0", tarball, "00".repeat(32));
        forge.publish("acme-escape", "1.0.0", Map.of("../../../../escaped", "x"));
        forge.publish("acme-link", "1.0.0", Map.of("files/passwd", "->../../../../etc/passwd"));

        for (String module : List.of("bad", "escape", "link")) {
            control.commit("production", Map.of("Puppetfile", "mod 'acme/" + module + "', '1.0.0'\n"));
            assertThatThrownBy(() -> deploy(target("production")))
                    .isInstanceOf(DeployException.class)
                    .hasMessageMatching(".*(SHA-256 check|leaves the module directory|points outside the module).*");
        }
        assertThat(tmp.resolve("escaped")).doesNotExist();
        assertThat(environments.resolve("production/modules")).doesNotExist();
    }

    @Test
    void aForgeDownloadAnsweredWithA503IsTriedAgain() throws Exception {
        control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '1.2.3'\n"));
        DeployPlan plan = plans.plan(target("production"));
        forge.failingPath = "/v3/files/";
        forge.failNext.set(2);

        deployer.deploy(plan);

        assertThat(forge.failNext.get()).as("both refusals met").isZero();
        assertThat(environments.resolve("production/modules/thing/metadata.json")).exists();
    }

    @Test
    void latestForgeVersionIsResolvedFromTheModuleEndpoint() throws Exception {
        forge.publish("acme-thing", "2.0.0", Map.of("manifests/init.pp", "class thing { $v = 2 }"));
        control.commit("production", Map.of("Puppetfile", "mod 'acme-thing', :latest\n"));
        deploy(target("production"));
        assertThat(read("production/modules/thing/manifests/init.pp")).contains("$v = 2");
        assertThat(deployFile("production").get("module_deploys").get(0).get("version").asText()).isEqualTo("2.0.0");
    }

    @Test
    void interruptingTheDeployKeepsThePreviousVersionAndARedeployWorks() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '1.2.3'\n"));
        deploy(target("production"));
        forge.publish("acme-slow", "1.0.0", Map.of("manifests/init.pp", "class slow {}"));
        String next = control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '1.2.3'\n"
                + "mod 'acme/slow', '1.0.0'\n", "new-file", "x"));
        DeployPlan nextPlan = plans.plan(target("production"));
        forge.downloadStarted = new CountDownLatch(1);
        forge.holdDownloads = new CountDownLatch(1);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread deploying = new Thread(() -> {
            try {
                deployer.deploy(nextPlan);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        deploying.start();
        assertThat(forge.downloadStarted.await(30, TimeUnit.SECONDS)).isTrue();
        deploying.interrupt();
        deploying.join(30_000);

        assertThat(deploying.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(DeployException.class).hasMessageContaining("interrupted");
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertThat(environments.resolve("production/new-file")).doesNotExist();
        assertNoStagingLeft("production");

        forge.holdDownloads.countDown();
        forge.holdDownloads = null;
        assertThat(deployer.deploy(nextPlan).commit()).isEqualTo(next);
        assertThat(read("production/modules/slow/manifests/init.pp")).isEqualTo("class slow {}");
    }

    @Test
    void collidingBranchesFailOnlyTheirOwnEnvironment() throws Exception {
        String production = control.commit("production", Map.of("Puppetfile", ""));
        control.commit("feature-x", Map.of("Puppetfile", ""));
        control.commit("feature_x", Map.of("Puppetfile", ""));

        assertThatThrownBy(() -> deploy(new EnvironmentTarget("feature_x", "control", control.url(),
                "feature-x", null)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("claimed by branches feature-x and feature_x");
        assertThat(deploy(target("production")).commit()).isEqualTo(production);
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", production));
    }

    @Test
    void deploysAPinnedCommitAndControlBranchModules() throws Exception {
        ntp.commit("feature", Map.of("manifests/init.pp", "class ntp { $feature = true }"));
        String first = control.commit("feature", Map.of("Puppetfile",
                "mod 'ntp', :git => '" + ntp.url() + "', :branch => :control_branch, :default_branch => 'main'\n"));
        control.amend("feature", Map.of("later", "x"));

        DeployOutcome outcome = deploy(new EnvironmentTarget("feature", "control", control.url(), "feature",
                first));

        assertThat(outcome.commit()).isEqualTo(first);
        assertThat(environments.resolve("feature/later")).doesNotExist();
        assertThat(read("feature/modules/ntp/manifests/init.pp")).contains("$feature = true");
        control.commit("production", Map.of("Puppetfile",
                "mod 'ntp', :git => '" + ntp.url() + "', :branch => :control_branch, :default_branch => 'main'\n"));
        deploy(target("production"));
        assertThat(read("production/modules/ntp/manifests/init.pp")).isEqualTo("class ntp {}");
    }

    private void assertNoStagingLeft(String environment) throws Exception {
        try (Stream<Path> entries = Files.list(environments.resolve(".momentum").resolve(environment))) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".staging-"));
        }
        try (Stream<Path> entries = Files.list(environments.resolve(".momentum"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".link-"));
        }
    }
}
