package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.shared.source.Source;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    }

    @AfterEach
    void tearDown() {
        deployer.close();
        forge.close();
        Stream.of(control, apache, ntp).forEach(GitRepo::close);
    }

    private DeployerSettings settings(List<Source> sources) {
        return new DeployerSettings(environments, tmp.resolve("cache"), sources, forge.url(), 4,
                Duration.ofSeconds(30), null, GitRemotesFixture.plain(tmp), "rugged");
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

        DeployOutcome outcome = deployer.deploy(target("production"));

        assertThat(outcome).isEqualTo(new DeployOutcome("production", commit, new ModuleCounts(3, 0), false));
        assertThat(Files.isSymbolicLink(environments.resolve("production"))).isTrue();
        assertThat(read("production/manifests/site.pp")).isEqualTo("node default {}");
        assertThat(read("production/modules/apache/VERSION")).isEqualTo("1");
        assertThat(read("production/modules/ntp/manifests/init.pp")).isEqualTo("class ntp {}");
        assertThat(environments.resolve("production/modules/ntp/spec")).doesNotExist();
        assertThat(read("production/modules/thing/manifests/init.pp")).isEqualTo("class thing {}");
        assertThat(read("production/modules/role/manifests/init.pp")).isEqualTo("class role {}");
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
    void unchangedIsANoOpAndAChangedModuleIsTheOnlyOneWrittenAgain() throws Exception {
        control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deployer.deploy(target("production"));
        Path firstVersion = environments.resolve("production").toRealPath();

        DeployOutcome again = deployer.deploy(target("production"));
        assertThat(again.unchanged()).isTrue();
        assertThat(again.modules()).isEqualTo(new ModuleCounts(0, 3));
        assertThat(environments.resolve("production").toRealPath()).isEqualTo(firstVersion);

        String ntpV2 = ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 2 }"));
        DeployOutcome moved = deployer.deploy(target("production"));
        assertThat(moved.unchanged()).isFalse();
        assertThat(moved.modules()).isEqualTo(new ModuleCounts(1, 2));
        assertThat(read("production/modules/ntp/manifests/init.pp")).contains("$v = 2");
        assertThat(deployFile("production").get("module_deploys").get(1).get("sha").asText()).isEqualTo(ntpV2);
        // Reused modules are hard links to the previous version's files, which is kept for rollback.
        assertThat(Files.isSameFile(environments.resolve("production/modules/apache/VERSION"),
                firstVersion.resolve("modules/apache/VERSION"))).isTrue();

        apache.tag("v2.0.0", apache.commit("main", Map.of("VERSION", "2")));
        control.amend("production", Map.of("Puppetfile", puppetfile("v2.0.0")));
        deployer.deploy(target("production"));
        assertThat(read("production/modules/apache/VERSION")).isEqualTo("2");
        assertThat(firstVersion).doesNotExist();
        try (Stream<Path> versions = Files.list(environments.resolve(".momentum/production"))) {
            assertThat(versions.filter(Files::isDirectory)).hasSize(2);
        }
    }

    @Test
    void rollbackSwitchesBackToThePreviousVersionAndForwardAgain() throws Exception {
        String first = control.commit("production", Map.of("Puppetfile", "", "v", "1"));
        deployer.deploy(target("production"));
        assertThatThrownBy(() -> deployer.rollback("production")).hasMessageContaining("no previous version");
        String second = control.commit("production", Map.of("Puppetfile", "", "v", "2"));
        deployer.deploy(target("production"));

        assertThat(deployer.rollback("production")).isEqualTo(first);
        assertThat(read("production/v")).isEqualTo("1");
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", first));
        assertThat(deployer.rollback("production")).isEqualTo(second);
        assertThat(read("production/v")).isEqualTo("2");
    }

    @Test
    void environmentsDeployInParallelSharingTheirMirrors() throws Exception {
        List<String> branches = List.of("production", "develop", "staging", "qa");
        for (String branch : branches) {
            control.commit(branch, Map.of("Puppetfile", puppetfile("v1.0.0"), "name", branch));
        }
        List<java.util.concurrent.Future<DeployOutcome>> deploys = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(branches.size());
        try {
            for (String branch : branches) {
                deploys.add(pool.submit(() -> deployer.deploy(target(branch))));
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
        }
        assertThat(deployer.deployedEnvironments()).containsOnlyKeys(branches);
    }

    @Test
    void anEnvironmentDeployedByR10kIsTakenOver() throws Exception {
        Path r10kEnvironment = environments.resolve("production");
        Files.createDirectories(r10kEnvironment.resolve("manifests"));
        Files.writeString(r10kEnvironment.resolve(".r10k-deploy.json"), "{}");
        Files.writeString(r10kEnvironment.resolve("manifests/old.pp"), "old");
        String commit = control.commit("production", Map.of("Puppetfile", "", "manifests/site.pp", "new"));

        assertThat(deployer.deploy(target("production")).commit()).isEqualTo(commit);

        assertThat(Files.isSymbolicLink(r10kEnvironment)).isTrue();
        assertThat(read("production/manifests/site.pp")).isEqualTo("new");
        assertThat(environments.resolve("production/manifests/old.pp")).doesNotExist();
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", commit));
    }

    @Test
    void prefixedSourcesDeployIntoPrefixedEnvironments() throws Exception {
        try (GitRepo team = GitRepo.createBare(tmp.resolve("team.git"));
                NativeDeployer twoSources = new NativeDeployer(settings(List.of(
                        TestSources.source("control", control.url(), null),
                        TestSources.source("team", team.url(), "team"))))) {
            String production = control.commit("production", Map.of("Puppetfile", ""));
            String dev = team.commit("dev", Map.of("Puppetfile", "", "team", "yes"));

            twoSources.deploy(target("production"));
            twoSources.deploy(new EnvironmentTarget("team_dev", "team", team.url(), "dev", null));

            assertThat(read("team_dev/team")).isEqualTo("yes");
            assertThat(twoSources.deployedEnvironments()).isEqualTo(Map.of("production", production, "team_dev", dev));
        }
    }

    @Test
    void deployModuleRedeploysOnlyThatModule() throws Exception {
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deployer.deploy(target("production"));
        ntp.commit("main", Map.of("manifests/init.pp", "class ntp { $v = 3 }"));

        DeployOutcome outcome = deployer.deployModule(target("production"), "ntp");

        assertThat(outcome).isEqualTo(new DeployOutcome("production", commit, new ModuleCounts(1, 2), false));
        assertThat(read("production/modules/ntp/manifests/init.pp")).contains("$v = 3");
        assertThat(deployer.deployModule(target("production"), "ntp").unchanged()).isTrue();
        assertThat(deployer.deployModule(target("production"), "unknown").unchanged()).isTrue();
    }

    @Test
    void deletedBranchPurgesItsEnvironmentAndLeavesUnmanagedDirectoriesAlone() throws Exception {
        control.commit("production", Map.of("Puppetfile", ""));
        control.commit("feature", Map.of("Puppetfile", ""));
        deployer.deploy(target("production"));
        deployer.deploy(target("feature"));
        Files.createDirectories(environments.resolve("legacy/manifests"));

        control.deleteBranch("feature");
        deployer.purge("feature");
        deployer.purge("legacy");

        assertThat(environments.resolve("feature")).doesNotExist();
        assertThat(environments.resolve(".momentum/feature")).doesNotExist();
        assertThat(environments.resolve("legacy/manifests")).isDirectory();
        assertThat(environments.resolve("production/Puppetfile")).exists();
        assertThat(deployer.deployedEnvironments()).containsOnlyKeys("production");
        assertThatThrownBy(() -> deployer.deploy(target("legacy")))
                .isInstanceOf(DeployException.class).hasMessageContaining("not managed by Momentum");
    }

    @Test
    void aMissingModuleRefLeavesThePreviousVersionLiveAndTheDeployFileTellsTheTruth() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", puppetfile("v1.0.0")));
        deployer.deploy(target("production"));
        String bad = control.amend("production", Map.of("Puppetfile", puppetfile("v9.9.9"), "new-file", "x"));

        assertThatThrownBy(() -> deployer.deploy(target("production")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("module apache (Puppetfile line 2): ref 'v9.9.9' not found");

        assertThat(environments.resolve("production/new-file")).doesNotExist();
        assertThat(read("production/modules/apache/VERSION")).isEqualTo("1");
        assertThat(deployFile("production").get("signature").asText()).isEqualTo(good);
        assertThat(deployFile("production").get("deploy_success").asBoolean()).isTrue();
        JsonNode attempt = JSON.readTree(environments.resolve(".momentum/production/last-attempt.json").toFile());
        assertThat(attempt.get("signature").asText()).isEqualTo(bad);
        assertThat(attempt.get("deploy_success").asBoolean()).isFalse();
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertNoStagingLeft("production");
    }

    @Test
    void hostileOrBrokenInputFailsClearlyAndKeepsThePreviousVersion() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", ""));
        deployer.deploy(target("production"));

        assertThatThrownBy(() -> deployer.deploy(new EnvironmentTarget("../etc", "control", control.url(), "x", null)))
                .isInstanceOf(DeployException.class).hasMessageContaining("refusing to deploy");
        assertThatThrownBy(() -> deployer.purge("../../root"))
                .isInstanceOf(DeployException.class);

        control.commit("production", Map.of("Puppetfile",
                "mod 'evil', :git => '" + apache.url() + "',\n  :tag => 'v1.0.0', :install_path => '../../../tmp'\n"));
        assertThatThrownBy(() -> deployer.deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("Puppetfile line 1")
                .hasMessageContaining("leaves the environment");

        control.commit("production", Map.of("Puppetfile",
                "mod 'gone', :git => '" + tmp.resolve("missing.git").toUri() + "'\n"));
        assertThatThrownBy(() -> deployer.deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("cannot fetch");

        control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '7.7.7'\n"));
        assertThatThrownBy(() -> deployer.deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("has no release acme-thing 7.7.7");

        assertThatThrownBy(() -> deployer.deploy(new EnvironmentTarget("nosuch", "control", control.url(), "nosuch",
                null))).isInstanceOf(DeployException.class).hasMessageContaining("branch 'nosuch' does not exist");
        assertThatThrownBy(() -> deployer.deploy(new EnvironmentTarget("production", "other", "file:///etc",
                "production", null))).isInstanceOf(DeployException.class).hasMessageContaining("not configured");

        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
        assertNoStagingLeft("production");
    }

    @Test
    void forgeTarballsAreVerifiedAndCannotEscapeTheModule() throws Exception {
        control.commit("production", Map.of("Puppetfile", ""));
        deployer.deploy(target("production"));
        byte[] tarball = ForgeStub.tarball("acme-bad-1.0.0", Map.of("manifests/init.pp", "class bad {}"));
        forge.publishRaw("acme-bad", "1.0.0", tarball, "00".repeat(32));
        forge.publish("acme-escape", "1.0.0", Map.of("../../../../escaped", "x"));
        forge.publish("acme-link", "1.0.0", Map.of("files/passwd", "->../../../../etc/passwd"));

        for (String module : List.of("bad", "escape", "link")) {
            control.commit("production", Map.of("Puppetfile", "mod 'acme/" + module + "', '1.0.0'\n"));
            assertThatThrownBy(() -> deployer.deploy(target("production")))
                    .isInstanceOf(DeployException.class)
                    .hasMessageMatching(".*(SHA-256 check|leaves the module directory|points outside the module).*");
        }
        assertThat(tmp.resolve("escaped")).doesNotExist();
        assertThat(environments.resolve("production/modules")).doesNotExist();
    }

    @Test
    void latestForgeVersionIsResolvedFromTheModuleEndpoint() throws Exception {
        forge.publish("acme-thing", "2.0.0", Map.of("manifests/init.pp", "class thing { $v = 2 }"));
        control.commit("production", Map.of("Puppetfile", "mod 'acme-thing', :latest\n"));
        deployer.deploy(target("production"));
        assertThat(read("production/modules/thing/manifests/init.pp")).contains("$v = 2");
        assertThat(deployFile("production").get("module_deploys").get(0).get("version").asText()).isEqualTo("2.0.0");
    }

    @Test
    void interruptingTheDeployKeepsThePreviousVersionAndARedeployWorks() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '1.2.3'\n"));
        deployer.deploy(target("production"));
        forge.publish("acme-slow", "1.0.0", Map.of("manifests/init.pp", "class slow {}"));
        forge.downloadStarted = new CountDownLatch(1);
        forge.holdDownloads = new CountDownLatch(1);
        String next = control.commit("production", Map.of("Puppetfile", "mod 'acme/thing', '1.2.3'\n"
                + "mod 'acme/slow', '1.0.0'\n", "new-file", "x"));

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread deploying = new Thread(() -> {
            try {
                deployer.deploy(target("production"));
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
        assertThat(deployer.deploy(target("production")).commit()).isEqualTo(next);
        assertThat(read("production/modules/slow/manifests/init.pp")).isEqualTo("class slow {}");
    }

    @Test
    void collidingBranchesFailOnlyTheirOwnEnvironment() throws Exception {
        String production = control.commit("production", Map.of("Puppetfile", ""));
        control.commit("feature-x", Map.of("Puppetfile", ""));
        control.commit("feature_x", Map.of("Puppetfile", ""));

        assertThatThrownBy(() -> deployer.deploy(new EnvironmentTarget("feature_x", "control", control.url(),
                "feature-x", null)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("claimed by branches feature-x and feature_x");
        assertThat(deployer.deploy(target("production")).commit()).isEqualTo(production);
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", production));
    }

    @Test
    void deploysAPinnedCommitAndControlBranchModules() throws Exception {
        ntp.commit("feature", Map.of("manifests/init.pp", "class ntp { $feature = true }"));
        String first = control.commit("feature", Map.of("Puppetfile",
                "mod 'ntp', :git => '" + ntp.url() + "', :branch => :control_branch, :default_branch => 'main'\n"));
        control.amend("feature", Map.of("later", "x"));

        DeployOutcome outcome = deployer.deploy(new EnvironmentTarget("feature", "control", control.url(), "feature",
                first));

        assertThat(outcome.commit()).isEqualTo(first);
        assertThat(environments.resolve("feature/later")).doesNotExist();
        assertThat(read("feature/modules/ntp/manifests/init.pp")).contains("$feature = true");
        control.commit("production", Map.of("Puppetfile",
                "mod 'ntp', :git => '" + ntp.url() + "', :branch => :control_branch, :default_branch => 'main'\n"));
        deployer.deploy(target("production"));
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
