package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.source.Source;
import io.momentum.testing.GitRepo;
import io.momentum.testing.GitSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
                List.of(TestSources.source("control", control.url(), null)), "http://127.0.0.1:9", 4,
                Duration.ofSeconds(60), null, GitRemotesFixture.plain(tmp), "rugged", 3);
    }

    @AfterEach
    void tearDown() {
        control.close();
        module.close();
    }

    /** The plan of the branch's head (r10k and g10k deploy heads; they resolve modules themselves). */
    private DeployPlan plan(String branch) {
        return TestPlans.ofCommit(branch, branch, control.head(branch));
    }

    private String puppetfile(String tag) {
        return "mod 'apache', :git => '" + module.url() + "', :tag => '" + tag + "'\n";
    }

    @Test
    void r10kDeploysAndReportsWhatItDeployed() throws Exception {
        assumeTrue(installed("r10k"), "r10k is not installed");
        R10kDeployer r10k = new R10kDeployer(settings);
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1"), "site.pp", "x"));

        DeployPlan plan = plan("production");
        DeployOutcome outcome = r10k.deploy(plan);

        assertThat(outcome.commit()).isEqualTo(commit);
        assertThat(outcome.planDigest()).as("r10k cannot pin modules: no plan digest").isNull();
        assertThat(outcome.modules().total()).isEqualTo(1);
        assertThat(tmp.resolve("environments/production/modules/apache/manifests/init.pp")).hasContent("class apache {}");
        assertThat(r10k.deployedEnvironments()).isEqualTo(Map.of("production", commit));
        assertThat(r10k.isLive(plan)).isTrue();
        assertThat(r10k.deploy(plan).unchanged()).isTrue();

        String moved = control.commit("production", Map.of("Puppetfile", puppetfile("missing")));
        // Still live (the environment is at the plan's commit), but the plan can no longer be deployed again.
        assertThat(r10k.isLive(plan)).isTrue();
        assertThatThrownBy(() -> r10k.deploy(plan)).isInstanceOf(DeployException.class)
                .hasMessageContaining("r10k deploys branch heads only: branch production of source control is at "
                        + moved + ", no longer at the plan's commit " + commit);
        assertThat(r10k.deployedEnvironments()).isEqualTo(Map.of("production", commit));
        assertThatThrownBy(() -> r10k.deploy(plan("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("r10k exited with");

        r10k.purge("production");
        assertThat(tmp.resolve("environments/production")).doesNotExist();
    }

    @Test
    void g10kDeploysAndANonexistentBranchIsAFailureNotASilentSuccess() throws Exception {
        assumeTrue(installed("g10k"), "g10k is not installed");
        G10kDeployer g10k = new G10kDeployer(settings);
        String commit = control.commit("production", Map.of("Puppetfile", puppetfile("v1"), "site.pp", "x"));

        DeployOutcome outcome = g10k.deploy(plan("production"));

        assertThat(outcome.commit()).isEqualTo(commit);
        assertThat(tmp.resolve("environments/production/modules/apache/manifests/init.pp")).hasContent("class apache {}");
        assertThat(g10k.deployedEnvironments()).isEqualTo(Map.of("production", commit));
        assertThatThrownBy(() -> g10k.deploy(TestPlans.ofCommit("nosuch", "nosuch", "a".repeat(40))))
                .isInstanceOf(DeployException.class).hasMessageContaining("branch 'nosuch' does not exist");

        g10k.purge("production");
        assertThat(tmp.resolve("environments/production")).doesNotExist();
    }

    @Test
    void aMissingToolIsAClearError() {
        DeployerSettings missing = new DeployerSettings(settings.environmentsDir(), settings.cacheDir(),
                settings.sources(), settings.forgeBaseUrl(), 1, Duration.ofSeconds(5),
                tmp.resolve("no-r10k").toString(), settings.git(), "rugged", 3);
        control.commit("production", Map.of("Puppetfile", ""));
        assertThatThrownBy(() -> new R10kDeployer(missing).deploy(plan("production")))
                .isInstanceOf(DeployException.class).hasMessageContaining("cannot run no-r10k");
        assertThatThrownBy(() -> new R10kDeployer(settings).deploy(TestPlans.ofCommit("../x", "x", "a".repeat(40))))
                .isInstanceOf(DeployException.class).hasMessageContaining("refusing to deploy");
    }

    @Test
    void externalToolsCannotStageAFleetPlanAndSaySo() {
        DeployPlan fleet = new DeployPlan(UUID.randomUUID(), "production", PlanStatus.PLANNED, "d".repeat(64),
                "control", "production", "a".repeat(40), List.of(), Rollout.FLEET, false, null, Instant.now());

        for (Deployer tool : List.of(new R10kDeployer(settings), new G10kDeployer(settings))) {
            assertThat(tool.isStaged(fleet)).isFalse();
            assertThatThrownBy(() -> tool.stage(fleet)).isInstanceOf(DeployException.class)
                    .hasMessageContaining("writes environments in place and cannot stage")
                    .hasMessageContaining("rollout FLEET").hasMessageContaining("momentum.deploy.backend=native");
            assertThatThrownBy(() -> tool.activate(fleet)).isInstanceOf(DeployException.class)
                    .hasMessageContaining("cannot stage");
        }
        assertThat(tmp.resolve("environments/production")).doesNotExist();
    }

    private DeployerSettings overSsh(String remote, Path key, Path knownHosts, String provider) {
        GitRemotes remotes = GitRemotesFixture.of(Map.of("momentum.git.private-key", key.toString(),
                "momentum.git.known-hosts", knownHosts.toString(),
                "momentum.git.ssh-agent-socket", tmp.resolve("no-agent.sock").toString()), tmp.resolve(provider));
        return new DeployerSettings(tmp.resolve(provider + "/environments"), tmp.resolve(provider + "/cache"),
                List.of(TestSources.source("control", remote, null)), "http://127.0.0.1:9", 4,
                Duration.ofSeconds(60), null, remotes, provider, 3);
    }

    /** Both r10k git providers: rugged reads r10k.yaml's private_key, shellgit runs git with GIT_SSH_COMMAND. */
    @Test
    void r10kReachesSshRemotesWithTheConfiguredKeyAndFailsWithAWrongOne() throws Exception {
        assumeTrue(installed("r10k") && GitSshServer.installed(), "r10k or openssh-server is not installed");
        Path good = GitSshServer.newClientKey(tmp.resolve("keys"), "deploy", "");
        Path other = GitSshServer.newClientKey(tmp.resolve("keys"), "other", "");
        try (GitSshServer ssh = GitSshServer.start(tmp.resolve("sshd"), List.of(Path.of(good + ".pub")))) {
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), ssh.knownHostsLine() + "\n");
            String remote = ssh.url(control.dir());
            String commit = control.commit("production", Map.of("Puppetfile",
                    "mod 'apache', :git => '" + ssh.url(module.dir()) + "', :tag => 'v1'\n"));
            DeployPlan production = TestPlans.ofCommit("production", "production", commit);
            for (String provider : List.of("rugged", "shellgit")) {
                R10kDeployer r10k = new R10kDeployer(overSsh(remote, good, knownHosts, provider));

                assertThat(r10k.deploy(production).commit()).as(provider).isEqualTo(commit);

                assertThat(tmp.resolve(provider + "/environments/production/modules/apache/manifests/init.pp"))
                        .hasContent("class apache {}");
                assertThat(Files.readString(tmp.resolve(provider + "/cache/r10k.yaml")))
                        .contains("provider: \"" + provider + "\"", "private_key: \"" + good + "\"");
                // The branch head is checked first (a plan is deployed only while it is the head): that fails.
                assertThatThrownBy(() -> new R10kDeployer(overSsh(remote, other, knownHosts, provider + "-wrong"))
                        .deploy(production)).as(provider).isInstanceOf(DeployException.class)
                        .hasMessageContaining("authentication failed for " + remote + " (key " + other + ")");
                assertThat(tmp.resolve(provider + "-wrong/environments/production")).doesNotExist();
            }
        }
    }

    @Test
    void g10kReachesSshRemotesWithTheSourcesKeyAndFailsWithAWrongOne() throws Exception {
        assumeTrue(installed("g10k") && installed("ssh-agent") && GitSshServer.installed(),
                "g10k, ssh-agent or openssh-server is not installed");
        Path good = GitSshServer.newClientKey(tmp.resolve("keys"), "deploy", "");
        Path other = GitSshServer.newClientKey(tmp.resolve("keys"), "other", "");
        try (GitSshServer ssh = GitSshServer.start(tmp.resolve("sshd"), List.of(Path.of(good + ".pub")))) {
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), ssh.knownHostsLine() + "\n");
            String remote = ssh.url(control.dir());
            String commit = control.commit("production", Map.of("Puppetfile",
                    "mod 'apache', :git => '" + ssh.url(module.dir()) + "', :tag => 'v1'\n"));
            DeployPlan production = TestPlans.ofCommit("production", "production", commit);
            G10kDeployer g10k = new G10kDeployer(overSsh(remote, good, knownHosts, "g10k"));

            assertThat(g10k.deploy(production).commit()).isEqualTo(commit);

            assertThat(tmp.resolve("g10k/environments/production/modules/apache/manifests/init.pp"))
                    .hasContent("class apache {}");
            assertThat(Files.readString(tmp.resolve("g10k/cache/g10k.yaml"))).contains("private_key: \"" + good + "\"");
            assertThatThrownBy(() -> new G10kDeployer(overSsh(remote, other, knownHosts, "g10k-wrong"))
                    .deploy(production)).isInstanceOf(DeployException.class)
                    .hasMessageContaining("authentication failed for " + remote + " (key " + other + ")");
        }
    }

    @Test
    void r10kAndG10kConfigurationsNameKeyFilesAndNeverSecrets() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "s3cret-token\n");
        GitRemotes remotes = GitRemotesFixture.of(Map.of("momentum.git.private-key", "/etc/momentum/ssh/id_ed25519",
                "momentum.git.oauth-token", token.toString(), "momentum.git.proxy", "http://proxy.example.net:3128",
                "momentum.git.repositories[0].remote", "git@git.example.net:team/",
                "momentum.git.repositories[0].private-key", "/etc/momentum/ssh/team"), tmp.resolve("cfg"));
        DeployerSettings configured = new DeployerSettings(tmp.resolve("environments"), tmp.resolve("cache"),
                List.of(TestSources.source("team", "git@git.example.net:team/control.git", "team")),
                "http://127.0.0.1:9", 4, Duration.ofSeconds(5), null, remotes, "rugged", 3);

        String r10kGit = new R10kDeployer(configured).gitSettings();

        assertThat(r10kGit).isEqualTo("""
                git:
                  provider: "rugged"
                  private_key: "/etc/momentum/ssh/id_ed25519"
                  oauth_token: "%s"
                  proxy: "http://proxy.example.net:3128"
                  repositories:
                    - remote: "git@git.example.net:team/control.git"
                      private_key: "/etc/momentum/ssh/team"
                      oauth_token: "%s"
                    - remote: "git@git.example.net:team/"
                      private_key: "/etc/momentum/ssh/team"
                      oauth_token: "%s"
                """.formatted(token, token, token));
        assertThat(new G10kDeployer(configured).sshCommand()).contains("-o StrictHostKeyChecking=yes",
                "-o BatchMode=yes", "-i '/etc/momentum/ssh/id_ed25519'").doesNotContain("s3cret");
    }
}
