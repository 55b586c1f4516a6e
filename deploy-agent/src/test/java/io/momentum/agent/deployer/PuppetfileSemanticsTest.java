package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * r10k's Puppetfile semantics as a plan resolves them ({@link TestPlans}: the resolution classes the planner uses)
 * and the native backend deploys them, with real git repositories and a Forge stand-in; the last test deploys the
 * same Puppetfile with the real r10k and finds the same files.
 */
class PuppetfileSemanticsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path environments;
    private GitRepo control;
    private GitRepo module;
    private ForgeStub forge;
    private NativeDeployer deployer;
    private TestPlans plans;
    private String v1;
    private String main;
    private String dev;

    @BeforeEach
    void setUp() throws Exception {
        environments = tmp.resolve("environments");
        control = GitRepo.createBare(tmp.resolve("control.git"));
        module = GitRepo.createBare(tmp.resolve("module.git"));
        forge = new ForgeStub();
        v1 = module.commit("main", Map.of("manifests/init.pp", "class m {}", "VERSION", "v1",
                "spec/m_spec.rb", "describe"));
        module.tag("v1", v1);
        main = module.commit("main", Map.of("manifests/init.pp", "class m {}", "VERSION", "main",
                "spec/m_spec.rb", "describe"));
        dev = module.commit("dev", Map.of("manifests/init.pp", "class m {}", "VERSION", "dev"));
        forge.publish("acme-thing", "1.0.0", Map.of("metadata.json", "{\"name\":\"acme-thing\",\"version\":\"1.0.0\"}",
                "VERSION", "1.0.0"));
        deployer = new NativeDeployer(settings(environments, "cache"));
        plans = new TestPlans(settings(environments, "cache"));
    }

    /** Plans the target (as the planner would) and deploys the plan. */
    private void deploy(EnvironmentTarget target) throws DeployException {
        deployer.deploy(plans.plan(target));
    }

    @AfterEach
    void tearDown() {
        deployer.close();
        plans.close();
        forge.close();
        Stream.of(control, module).forEach(GitRepo::close);
    }

    private DeployerSettings settings(Path dir, String cache) {
        return new DeployerSettings(dir, tmp.resolve(cache), List.of(TestSources.source("control", control.url(), null)),
                forge.url(), 4, Duration.ofSeconds(60), null, GitRemotesFixture.plain(tmp), "rugged", 3);
    }

    private EnvironmentTarget target(String branch) {
        return new EnvironmentTarget(branch, "control", control.url(), branch, null);
    }

    private String read(String path) throws Exception {
        return Files.readString(environments.resolve(path));
    }

    private JsonNode moduleDeploys(String environment) throws Exception {
        return JSON.readTree(environments.resolve(environment).resolve(".r10k-deploy.json").toFile()).get("module_deploys");
    }

    @Test
    void theTypeSourceVersionFormDeploysGitAndForgeModules() throws Exception {
        control.commit("production", Map.of("Puppetfile", """
                mod 'acme-by_tag',
                  type:    'git',
                  source:  '%1$s',
                  version: 'v1'
                mod 'by_commit', type: :git, source: '%1$s', version: '%2$s'
                mod 'by_branch', git: '%1$s', version: 'dev'
                mod 'acme/thing',
                  type:    'forge',
                  version: '1.0.0'
                """.formatted(module.url(), v1.substring(0, 7))));

        deploy(target("production"));

        assertThat(read("production/modules/by_tag/VERSION")).isEqualTo("v1");
        assertThat(read("production/modules/by_commit/VERSION")).isEqualTo("v1");
        assertThat(read("production/modules/by_branch/VERSION")).isEqualTo("dev");
        assertThat(read("production/modules/thing/VERSION")).isEqualTo("1.0.0");
        assertThat(moduleDeploys("production").get(1).get("version").asText()).isEqualTo(v1.substring(0, 7));
        assertThat(moduleDeploys("production").get(1).get("sha").asText()).isEqualTo(v1);
    }

    @Test
    void theDefaultBranchIsUsedWheneverTheWantedRefDoesNotExist() throws Exception {
        control.commit("production", Map.of("Puppetfile", """
                mod 'missing_tag', :git => '%1$s', :tag => 'v9', :default_branch => 'main'
                mod 'missing_branch', :git => '%1$s', :branch => 'gone', :default_branch => 'dev'
                mod 'missing_commit', :git => '%1$s', :commit => 'abcdef0', :default_branch => 'main'
                mod 'control', :git => '%1$s', :branch => :control_branch, :default_branch => 'main'
                mod 'overridden', :git => '%1$s', :branch => :control_branch,
                  :default_branch_override => 'dev', :default_branch => 'main'
                mod 'present', :git => '%1$s', :tag => 'v1', :default_branch => 'main'
                """.formatted(module.url())));

        deploy(target("production"));

        assertThat(read("production/modules/missing_tag/VERSION")).isEqualTo("main");
        assertThat(read("production/modules/missing_branch/VERSION")).isEqualTo("dev");
        assertThat(read("production/modules/missing_commit/VERSION")).isEqualTo("main");
        assertThat(read("production/modules/control/VERSION")).isEqualTo("main");
        assertThat(read("production/modules/overridden/VERSION")).isEqualTo("dev");
        assertThat(read("production/modules/present/VERSION")).isEqualTo("v1");
        JsonNode deploys = moduleDeploys("production");
        assertThat(deploys.get(0).get("version").asText()).isEqualTo("main");
        assertThat(deploys.get(0).get("sha").asText()).isEqualTo(main);
        assertThat(deploys.get(4).get("version").asText()).isEqualTo("dev");
        assertThat(deploys.get(4).get("sha").asText()).isEqualTo(dev);
    }

    @Test
    void aRefMissingWithItsDefaultBranchNamesBoth() throws Exception {
        control.commit("production", Map.of("Puppetfile",
                "\nmod 'm', :git => '" + module.url() + "', :tag => 'v9', :default_branch => 'nope'\n"));
        assertThatThrownBy(() -> deploy(target("production")))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("module m (Puppetfile line 2): ref 'v9' not found, nor the default branch 'nope'");
    }

    @Test
    void aForgeModuleWithoutVersionIsInstalledOnceAndKeptWhileLatestUpgrades() throws Exception {
        forge.publish("acme-kept", "1.0.0", Map.of("VERSION", "1.0.0"));
        forge.publish("acme-fresh", "1.0.0", Map.of("VERSION", "1.0.0"));
        String puppetfile = "mod 'acme/kept'\nmod 'acme-fresh', :latest\n";
        control.commit("production", Map.of("Puppetfile", puppetfile));
        deploy(target("production"));
        assertThat(read("production/modules/kept/VERSION")).isEqualTo("1.0.0");

        forge.publish("acme-kept", "2.0.0", Map.of("VERSION", "2.0.0"));
        forge.publish("acme-fresh", "2.0.0", Map.of("VERSION", "2.0.0"));
        control.amend("production", Map.of("other", "change"));
        deploy(target("production"));

        assertThat(read("production/modules/kept/VERSION")).isEqualTo("1.0.0");
        assertThat(read("production/modules/fresh/VERSION")).isEqualTo("2.0.0");
        assertThat(moduleDeploys("production").get(0).get("version").asText()).isEqualTo("1.0.0");

        // A new environment has nothing installed yet: it gets the current release.
        control.commit("development", Map.of("Puppetfile", puppetfile));
        deploy(target("development"));
        assertThat(read("development/modules/kept/VERSION")).isEqualTo("2.0.0");
    }

    @Test
    void moduledirInstallPathAndExcludeSpecApplyAsInR10k() throws Exception {
        control.commit("production", Map.of("Puppetfile", """
                mod 'early', :git => '%1$s', :tag => 'v1'
                moduledir 'thirdparty'
                exclusion 'acme-ignored'
                mod 'spec_dropped', :git => '%1$s', :tag => 'v1', :exclude_spec => true
                mod 'spec_kept', :git => '%1$s', :tag => 'v1', :exclude_spec => true, :install_path => 'site'
                mod 'spec_default', :git => '%1$s', :tag => 'v1'
                """.formatted(module.url())));

        deploy(target("production"));

        assertThat(environments.resolve("production/modules/early/spec/m_spec.rb")).exists();
        assertThat(environments.resolve("production/thirdparty/spec_dropped/manifests/init.pp")).exists();
        assertThat(environments.resolve("production/thirdparty/spec_dropped/spec")).doesNotExist();
        assertThat(environments.resolve("production/site/spec_kept/spec/m_spec.rb")).exists();
        assertThat(environments.resolve("production/thirdparty/spec_default/spec/m_spec.rb")).exists();
    }

    @Test
    void refusedFormsNameTheLineAndKeepThePreviousVersion() throws Exception {
        String good = control.commit("production", Map.of("Puppetfile", ""));
        deploy(target("production"));
        for (String refused : List.of("mod 'm', :svn => 'https://svn.example/m/trunk'",
                "mod 'm', type: 'tarball', source: 'https://repo.example/m.tar.gz'",
                "mod 'm', :git => '" + module.url() + "', :tag => 'v1'\nmod 'acme/m', '1.0.0', :install_path => 'x'")) {
            control.commit("production", Map.of("Puppetfile", "# modules\n" + refused + "\n"));
            assertThatThrownBy(() -> deploy(target("production")))
                    .isInstanceOf(DeployException.class)
                    .hasMessageMatching("environment production at \\w+: Puppetfile line [23]: .*(Momentum does not"
                            + " support|already declared on line 2).*");
        }
        assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", good));
    }

    @Test
    void r10kDeploysTheSameFilesFromTheSamePuppetfile() throws Exception {
        assumeTrue(ExternalDeployersTest.installed("r10k"), "r10k is not installed");
        control.commit("production", Map.of("Puppetfile", """
                mod 'early', type: 'git', source: '%1$s', version: 'v1'
                moduledir 'thirdparty'
                mod 'by_commit', git: '%1$s', version: '%2$s'
                mod 'missing_tag', :git => '%1$s', :tag => 'v9', :default_branch => 'main'
                mod 'overridden', :git => '%1$s', :branch => 'gone',
                  :default_branch_override => 'dev', :default_branch => 'main'
                mod 'control', :git => '%1$s', :branch => :control_branch, :default_branch => 'dev'
                mod 'spec_dropped', :git => '%1$s', :ref => 'main', :exclude_spec => true
                mod 'spec_kept', :git => '%1$s', :ref => 'main', :exclude_spec => true, :install_path => 'site'
                mod 'acme/thing', type: 'forge', version: '1.0.0'
                """.formatted(module.url(), v1)));
        Path r10kDir = tmp.resolve("r10k");
        new R10kDeployer(settings(r10kDir, "r10k-cache")).deploy(TestPlans.ofCommit("production", "production",
                control.head("production")));
        deploy(target("production"));

        Path ours = environments.resolve("production").toRealPath();
        Path theirs = r10kDir.resolve("production");
        assertThat(R10kCompatibilityTest.tree(ours)).isNotEmpty().isEqualTo(R10kCompatibilityTest.tree(theirs));
        assertThat(moduleDeploys("production")).isEqualTo(
                JSON.readTree(theirs.resolve(".r10k-deploy.json").toFile()).get("module_deploys"));
    }
}
