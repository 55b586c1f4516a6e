package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.agent.domain.ControlSource;
import io.momentum.testing.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The r10k and g10k backends against the real tools; skipped where a tool is not installed. */
class ExternalDeployersTest {

    @TempDir
    Path tmp;

    private GitRepo control;
    private GitRepo module;
    private DeployerSettings settings;

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @BeforeEach
    void setUp() {
        control = GitRepo.createBare(tmp.resolve("control.git"));
        module = GitRepo.createBare(tmp.resolve("apache.git"));
        String v1 = module.commit("main", Map.of("manifests/init.pp", "class apache {}"));
        module.tag("v1", v1);
        settings = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache"),
                List.of(new ControlSource("control", control.url(), null)), "http://127.0.0.1:9", 4,
                Duration.ofSeconds(60), null);
    }

    @AfterEach
    void tearDown() {
        control.close();
        module.close();
    }

    private EnvironmentTarget target(String branch) {
        return new EnvironmentTarget(branch, "control", control.url(), branch, null);
    }

    private String puppetfile(String tag) {
        return "mod 'apache', :git => '" + module.url() + "', :tag => '" + tag + "'\n";
    }

    @Test
    void r10kDeploysAndReportsWhatItDeployed() throws Exception {
        assumeTrue(installed("r10k"), "r10k is not installed");
        R10kDeployer r10k = new R10kDeployer(settings);
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1"), "site.pp", "x"));

        DeployOutcome outcome = r10k.deploy(target("production"));

        assertThat(outcome.commit()).isEqualTo(commit);
        assertThat(outcome.modules().total()).isEqualTo(1);
        assertThat(tmp.resolve("environments/production/modules/apache/manifests/init.pp")).hasContent("class apache {}");
        assertThat(r10k.deployedEnvironments()).isEqualTo(Map.of("production", commit));
        assertThat(r10k.deploy(target("production")).unchanged()).isTrue();
        assertThat(r10k.deployModule(target("production"), "apache").commit()).isEqualTo(commit);

        control.commit("production", Map.of("Puppetfile", puppetfile("missing")));
        assertThatThrownBy(() -> r10k.deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("r10k exited with");

        r10k.purge("production");
        assertThat(tmp.resolve("environments/production")).doesNotExist();
    }

    @Test
    void g10kDeploysAndANonexistentBranchIsAFailureNotASilentSuccess() throws Exception {
        assumeTrue(installed("g10k"), "g10k is not installed");
        G10kDeployer g10k = new G10kDeployer(settings);
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1"), "site.pp", "x"));

        DeployOutcome outcome = g10k.deploy(target("production"));

        assertThat(outcome.commit()).isEqualTo(commit);
        assertThat(tmp.resolve("environments/production/modules/apache/manifests/init.pp")).hasContent("class apache {}");
        assertThat(g10k.deployedEnvironments()).isEqualTo(Map.of("production", commit));
        assertThatThrownBy(() -> g10k.deploy(target("nosuch")))
                .isInstanceOf(DeployException.class).hasMessageContaining("branch 'nosuch' does not exist");

        g10k.purge("production");
        assertThat(tmp.resolve("environments/production")).doesNotExist();
    }

    @Test
    void aMissingToolIsAClearError() {
        DeployerSettings missing = new DeployerSettings(settings.environmentsDir(), settings.cacheDir(),
                settings.sources(), settings.forgeBaseUrl(), 1, Duration.ofSeconds(5), tmp.resolve("no-r10k").toString());
        control.commit("production", Map.of("Puppetfile", ""));
        assertThatThrownBy(() -> new R10kDeployer(missing).deploy(target("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("cannot run no-r10k");
        assertThatThrownBy(() -> new R10kDeployer(settings).deploy(target("../x")))
                .isInstanceOf(DeployException.class).hasMessageContaining("refusing to deploy");
    }
}
