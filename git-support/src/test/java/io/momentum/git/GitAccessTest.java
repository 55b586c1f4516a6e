package io.momentum.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.testing.GitHttpsServer;
import io.momentum.testing.GitRepo;
import io.momentum.testing.GitSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGit through {@link GitAccess} against a real OpenSSH server and a real git smart-HTTP server over HTTPS. */
class GitAccessTest {

    @TempDir
    static Path dir;
    static Path repo;
    static String head;
    static Path goodKey;
    static Path otherKey;
    static Path lockedKey;
    static GitSshServer ssh;
    static GitHttpsServer https;
    static Path knownHosts;

    @BeforeAll
    static void startServers() throws Exception {
        assumeTrue(GitSshServer.installed() && GitHttpsServer.installed(), "openssh-server, nginx or fcgiwrap missing");
        repo = dir.resolve("repos/control.git");
        try (GitRepo control = GitRepo.createBare(repo)) {
            head = control.commit("production", Map.of("Puppetfile", "# none\n"));
        }
        goodKey = GitSshServer.newClientKey(dir.resolve("keys"), "deploy", "");
        otherKey = GitSshServer.newClientKey(dir.resolve("keys"), "other", "");
        lockedKey = GitSshServer.newClientKey(dir.resolve("keys"), "locked", "correct horse");
        ssh = GitSshServer.start(dir.resolve("sshd"), List.of(Path.of(goodKey + ".pub"), Path.of(lockedKey + ".pub")));
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
        https = GitHttpsServer.start(dir.resolve("https"), dir.resolve("repos"), "deploy", "t0ken");
        GitAccess.installGlobal(new GitTransportSettings(knownHosts, true, Optional.empty(),
                Optional.of(https.certificate()), Optional.empty(), List.of()));
    }

    @AfterAll
    static void stopServers() {
        if (ssh != null) {
            ssh.close();
        }
        if (https != null) {
            https.close();
        }
    }

    @Test
    void sshWithTheRightKeyListsTheBranches() throws Exception {
        assertThat(lsRemote(access(knownHosts, true, key(goodKey), Optional.empty()), ssh.url(repo)))
                .containsEntry("refs/heads/production", head);
    }

    @Test
    void sshWithAPassphraseFromAFile() throws Exception {
        Path passphrase = dir.resolve("passphrase");
        Files.writeString(passphrase, "correct horse\n");
        GitCredentials locked = new GitCredentials(Optional.of(lockedKey), Optional.of(passphrase), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(lsRemote(access(knownHosts, true, locked, Optional.empty()), ssh.url(repo)))
                .containsEntry("refs/heads/production", head);
    }

    @Test
    void sshWithAWrongKeyFailsClearly() {
        assertThatThrownBy(() -> lsRemote(access(knownHosts, true, key(otherKey), Optional.empty()), ssh.url(repo)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void sshToAnUnknownHostKeyIsRefusedUnlessCheckingIsTurnedOff() throws Exception {
        Path empty = Files.createFile(dir.resolve("known_hosts_empty_" + System.nanoTime()));
        assertThatThrownBy(() -> lsRemote(access(empty, true, key(goodKey), Optional.empty()), ssh.url(repo)))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1");
        assertThat(lsRemote(access(empty, false, key(goodKey), Optional.empty()), ssh.url(repo)))
                .containsEntry("refs/heads/production", head);
    }

    @Test
    void sshThroughSshAgent() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-agent")), "ssh-agent missing");
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .start();
        try {
            for (int i = 0; i < 50 && !Files.exists(socket); i++) {
                Thread.sleep(100);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", goodKey.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            assertThat(adding.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(adding.exitValue()).as(new String(adding.getInputStream().readAllBytes())).isZero();
            assertThat(lsRemote(access(knownHosts, true, GitCredentials.NONE, Optional.of(socket)), ssh.url(repo)))
                    .containsEntry("refs/heads/production", head);
        } finally {
            agent.destroy();
        }
    }

    @Test
    void httpsWithATokenFromAFile() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "t0ken\n");
        GitCredentials credentials = new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("deploy"), Optional.of(token));
        assertThat(lsRemote(access(knownHosts, true, credentials, Optional.empty()), https.url("control.git")))
                .containsEntry("refs/heads/production", head);
    }

    @Test
    void httpsWithAWrongTokenFailsClearlyWithoutShowingIt() throws Exception {
        Path token = dir.resolve("wrong-token");
        Files.writeString(token, "not-the-token\n");
        GitCredentials credentials = new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("deploy"), Optional.of(token));
        assertThatThrownBy(() -> lsRemote(access(knownHosts, true, credentials, Optional.empty()),
                https.url("control.git")))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("not authorized")
                .hasMessageNotContaining("not-the-token");
    }

    @Test
    void theSshConfigurationNamesOnlyPaths() {
        GitAccess access = access(knownHosts, true, key(goodKey), Optional.empty());
        assertThat(access.sshConfig(key(goodKey))).contains("StrictHostKeyChecking yes", "BatchMode yes",
                "IdentitiesOnly yes", "IdentityFile \"" + goodKey + "\"", "IdentityAgent none");
    }

    private static GitCredentials key(Path key) {
        return new GitCredentials(Optional.of(key), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static GitAccess access(Path knownHosts, boolean strict, GitCredentials credentials,
            Optional<Path> agent) {
        return new GitAccess(new GitTransportSettings(knownHosts, strict, agent, Optional.empty(), Optional.empty(),
                List.of()), remote -> credentials, dir.resolve("ssh-work-" + System.nanoTime()));
    }

    private static Map<String, String> lsRemote(GitAccess access, String url) throws Exception {
        try (access) {
            Collection<Ref> refs = access.configure(Git.lsRemoteRepository().setRemote(url).setHeads(true), url)
                    .setTimeout(20).call();
            return refs.stream().collect(java.util.stream.Collectors.toMap(Ref::getName,
                    ref -> ref.getObjectId().name()));
        }
    }
}
