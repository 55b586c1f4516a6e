package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.git.GitAccess;
import io.momentum.git.GitTransportSettings;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.testing.GitHttpsServer;
import io.momentum.testing.GitRepo;
import io.momentum.testing.GitSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend and the branch listing over SSH (a real OpenSSH server) and HTTPS (a real git smart-HTTP
 * server behind basic auth): the right key or token deploys, including a Puppetfile module on the SSH server;
 * a wrong key, an unknown host key or a wrong token fails that environment with a message naming the remote, the
 * cause and the file involved, and the previous version stays live.
 */
class GitTransportDeployTest {

    @TempDir
    static Path dir;
    static Path repos;
    static Path goodKey;
    static Path otherKey;
    static Path knownHosts;
    static Path token;
    static GitSshServer ssh;
    static GitHttpsServer https;
    static GitRepo control;
    static GitRepo motd;

    @BeforeAll
    static void startServers() throws Exception {
        assumeTrue(GitSshServer.installed() && GitHttpsServer.installed(), "openssh-server, nginx or fcgiwrap missing");
        repos = dir.resolve("repos");
        goodKey = GitSshServer.newClientKey(dir.resolve("keys"), "deploy", "");
        otherKey = GitSshServer.newClientKey(dir.resolve("keys"), "other", "");
        ssh = GitSshServer.start(dir.resolve("sshd"), List.of(Path.of(goodKey + ".pub")));
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
        https = GitHttpsServer.start(dir.resolve("https"), repos, "deploy", "t0ken-s3cret");
        token = dir.resolve("token");
        Files.writeString(token, "t0ken-s3cret\n");
        control = GitRepo.createBare(repos.resolve("control.git"));
        motd = GitRepo.createBare(repos.resolve("motd.git"));
        motd.tag("v1", motd.commit("main", Map.of("manifests/init.pp", "class motd { }\n")));
        GitAccess.installGlobal(GitTransportSettings.of(GitRemotesFixture.config(Map.of(
                "momentum.git.ssl-ca-file", https.certificate().toString(),
                "momentum.git.ssh-handshake-timeout", "PT5S"))));
    }

    @AfterAll
    static void stopServers() {
        if (control != null) {
            control.close();
            motd.close();
        }
        if (ssh != null) {
            ssh.close();
        }
        if (https != null) {
            https.close();
        }
    }

    private static GitRemotes remotes(Path key, Path hosts, Path secret) {
        Map<String, String> git = new HashMap<>(Map.of("momentum.git.known-hosts", hosts.toString(),
                "momentum.git.ssh-agent-socket", dir.resolve("no-agent.sock").toString()));
        if (key != null) {
            git.put("momentum.git.private-key", key.toString());
        }
        if (secret != null) {
            git.put("momentum.git.https-username", "deploy");
            git.put("momentum.git.https-password-file", secret.toString());
        }
        return GitRemotesFixture.of(git, dir.resolve("work-" + System.nanoTime()));
    }

    private static NativeDeployer deployer(String name, String remote, GitRemotes remotes) {
        return deployer(name, remote, remotes, Duration.ofSeconds(30));
    }

    private static NativeDeployer deployer(String name, String remote, GitRemotes remotes, Duration timeout) {
        return new NativeDeployer(new DeployerSettings(dir.resolve(name + "/environments"),
                dir.resolve(name + "/cache"), List.of(TestSources.source("control", remote, null)),
                "http://127.0.0.1:9", 4, timeout, null, remotes, "rugged", 3));
    }

    /** The plan the planner would publish for production at {@code commit}. */
    private static DeployPlan plan(String commit, PlannedModule... modules) {
        return DeployPlan.planned(UUID.randomUUID(), "production", "control", "production", commit,
                List.of(modules), Rollout.IMMEDIATE, Instant.now());
    }

    private static PlannedModule motdV1(String url) {
        return new PlannedModule("motd", "modules/motd", PlannedModule.Type.GIT, url, "v1", motd.head("main"), null,
                false);
    }

    @Test
    void overSshTheRightKeyDeploysAndAWrongKeyOrUnknownHostFailsClearlyLeavingTheOldVersion() throws Exception {
        String remote = ssh.url(repos.resolve("control.git"));
        String v1 = control.commit("production", Map.of("Puppetfile",
                "mod 'motd', :git => '" + ssh.url(repos.resolve("motd.git")) + "', :tag => 'v1'\n",
                "site.pp", "# v1\n"));
        Path live = dir.resolve("ssh/environments/production");
        try (NativeDeployer good = deployer("ssh", remote, remotes(goodKey, knownHosts, null))) {
            assertThat(good.deploy(plan(v1, motdV1(ssh.url(repos.resolve("motd.git"))))).commit()).isEqualTo(v1);
        }
        assertThat(live.resolve("modules/motd/manifests/init.pp")).hasContent("class motd { }");

        String v2 = control.commit("production", Map.of("site.pp", "# v2\n"));
        try (NativeDeployer wrongKey = deployer("ssh", remote, remotes(otherKey, knownHosts, null))) {
            assertThatThrownBy(() -> wrongKey.deploy(plan(v2, motdV1(ssh.url(repos.resolve("motd.git"))))))
                    .isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("authentication failed for " + remote)
                    .hasMessageContaining("(key " + otherKey + ")");
        }
        Path empty = Files.writeString(dir.resolve("known_hosts_empty"), "");
        try (NativeDeployer unknownHost = deployer("ssh", remote, remotes(goodKey, empty, null))) {
            assertThatThrownBy(() -> unknownHost.deploy(plan(v2, motdV1(ssh.url(repos.resolve("motd.git"))))))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("host key of [127.0.0.1]:" + ssh.port() + " is not in known_hosts " + empty)
                    .hasMessageContaining("ssh-keyscan -H -p " + ssh.port() + " 127.0.0.1 >> " + empty);
        }
        assertThat(live.resolve("site.pp")).hasContent("# v1");
        assertThat(live.resolve("modules/motd/manifests/init.pp")).exists();
    }

    @Test
    void aPuppetfileModuleBehindAWrongKeyFailsThatEnvironmentNamingTheModuleRemote() throws Exception {
        GitRemotes remotes = GitRemotesFixture.of(Map.of("momentum.git.known-hosts", knownHosts.toString(),
                "momentum.git.ssh-agent-socket", dir.resolve("no-agent.sock").toString(),
                "momentum.git.private-key", goodKey.toString(),
                "momentum.git.repositories[0].remote", ssh.url(repos.resolve("motd.git")),
                "momentum.git.repositories[0].private-key", otherKey.toString()), dir.resolve("per-repo"));
        String moduleUrl = ssh.url(repos.resolve("motd.git"));
        GitRepo local = GitRepo.createBare(dir.resolve("local-control.git"));
        String commit = local.commit("production", Map.of("Puppetfile",
                "mod 'motd', :git => '" + moduleUrl + "', :tag => 'v1'\n"));
        try (local; NativeDeployer deployer = deployer("per-repo", local.url(), remotes)) {
            assertThatThrownBy(() -> deployer.deploy(plan(commit, motdV1(moduleUrl))))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("authentication failed for " + moduleUrl + " (key " + otherKey + ")");
        }
        assertThat(dir.resolve("per-repo/environments/production")).doesNotExist();
    }

    @Test
    void overHttpsTheRightTokenDeploysAndAWrongOneFailsWithoutShowingIt() throws Exception {
        String remote = https.url("control.git");
        String v1 = control.commit("production", Map.of("Puppetfile", "", "site.pp", "# https v1\n"));
        try (NativeDeployer good = deployer("https", remote, remotes(null, knownHosts, token))) {
            assertThat(good.deploy(plan(v1)).commit()).isEqualTo(v1);
        }
        Path wrong = Files.writeString(dir.resolve("wrong-token"), "not-the-token\n");
        String v2 = control.commit("production", Map.of("site.pp", "# https v2\n"));
        try (NativeDeployer bad = deployer("https", remote, remotes(null, knownHosts, wrong))) {
            assertThatThrownBy(() -> bad.deploy(plan(v2)))
                    .isInstanceOf(DeployException.class)
                    .hasMessage("authentication failed for " + remote + " (user deploy, secret file " + wrong + ")");
        }
        assertThat(dir.resolve("https/environments/production/site.pp")).hasContent("# https v1");
    }

    @Test
    void aGitHostThatStopsAnsweringOverHttpsTimesOutKeepsTheOldVersionAndTheRetryDeploys() throws Exception {
        try (FaultyRemote host = new FaultyRemote(https.port())) {
            String remote = "https://127.0.0.1:" + host.port() + "/control.git";
            stuckHostTimesOutAndTheRetryDeploys("stuck-https", host, remote, remotes(null, knownHosts, token));
        }
    }

    @Test
    void aGitHostThatStopsAnsweringOverSshTimesOutKeepsTheOldVersionAndTheRetryDeploys() throws Exception {
        try (FaultyRemote host = new FaultyRemote(ssh.port())) {
            String remote = ssh.url(repos.resolve("control.git")).replace(":" + ssh.port() + "/",
                    ":" + host.port() + "/");
            Path hosts = Files.writeString(dir.resolve("known_hosts_stuck"),
                    ssh.knownHostsLine().replace("]:" + ssh.port() + " ", "]:" + host.port() + " ") + "\n");
            stuckHostTimesOutAndTheRetryDeploys("stuck-ssh", host, remote, remotes(goodKey, hosts, null));
        }
    }

    /**
     * v1 deploys through {@code host}; then the host accepts connections and never answers: deploying v2 fails
     * within the fetch timeout (2 s; SSH set-up 5 s) with an error naming the remote and the timeout, v1 stays live with no staging
     * left; once the host answers again the same plan deploys.
     */
    private static void stuckHostTimesOutAndTheRetryDeploys(String name, FaultyRemote host, String remote,
            GitRemotes remotes) throws Exception {
        Path live = dir.resolve(name + "/environments/production");
        String v1 = control.commit("production", Map.of("Puppetfile", "", "site.pp", "# " + name + " v1\n"));
        try (NativeDeployer deployer = deployer(name, remote, remotes, Duration.ofSeconds(2))) {
            assertThat(deployer.deploy(plan(v1)).commit()).isEqualTo(v1);
            String v2 = control.commit("production", Map.of("site.pp", "# " + name + " v2\n"));
            DeployPlan next = plan(v2);
            host.mode(FaultyRemote.Mode.HANG);
            long started = System.nanoTime();
            assertThatThrownBy(() -> deployer.deploy(next)).isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("timed out fetching " + remote + ": the git host did not answer")
                    .hasMessageContaining("momentum.deploy.command-timeout=2s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("gave up within the timeouts, roughly")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(live.resolve("site.pp")).hasContent("# " + name + " v1");
            try (var entries = Files.list(dir.resolve(name + "/environments/.momentum/production"))) {
                assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".staging-"));
            }
            host.mode(FaultyRemote.Mode.FORWARD);
            assertThat(deployer.deploy(next).commit()).isEqualTo(v2);
            assertThat(live.resolve("site.pp")).hasContent("# " + name + " v2");
        }
    }

    @Test
    void listingBranchesUsesTheKeyAndNamesTheCauseWhenRefused() throws Exception {
        String remote = ssh.url(repos.resolve("control.git"));
        String head = control.commit("listing", Map.of("Puppetfile", ""));
        BranchLister good = new BranchLister(remotes(goodKey, knownHosts, null), Duration.ofSeconds(20));
        assertThat(good.branches(TestSources.source("control", remote, null))).containsEntry("listing", head);

        BranchLister wrong = new BranchLister(remotes(otherKey, knownHosts, null), Duration.ofSeconds(20));
        assertThatThrownBy(() -> wrong.list(List.of(TestSources.source("control", remote, null))))
                .isInstanceOf(DeployException.class)
                .hasMessage("cannot list branches of source control: authentication failed for " + remote
                        + " (key " + otherKey + ")");
        BranchLister noKey = new BranchLister(remotes(null, knownHosts, null), Duration.ofSeconds(20));
        assertThatThrownBy(() -> noKey.list(List.of(TestSources.source("control", remote, null))))
                .hasMessageContaining("no key configured: set momentum.git.private-key");
    }
}
