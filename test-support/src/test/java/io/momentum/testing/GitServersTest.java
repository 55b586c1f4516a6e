package io.momentum.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test git servers work for the plain git command line: what the deployer tests build on. */
class GitServersTest {

    @Test
    void sshServesARepositoryToTheRightKeyOnly(@TempDir Path dir) throws Exception {
        assumeTrue(GitSshServer.installed(), "openssh-server is not installed");
        Path repo = dir.resolve("repos/control.git");
        String head;
        try (GitRepo control = GitRepo.createBare(repo)) {
            head = control.commit("production", Map.of("Puppetfile", "# none\n"));
        }
        Path good = GitSshServer.newClientKey(dir.resolve("keys"), "good", "");
        Path bad = GitSshServer.newClientKey(dir.resolve("keys"), "bad", "");
        try (GitSshServer server = GitSshServer.start(dir.resolve("sshd"), List.of(Path.of(good + ".pub")))) {
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, server.knownHostsLine() + "\n");
            Result ok = git(dir, Map.of("GIT_SSH_COMMAND", ssh(good, knownHosts)), "ls-remote", server.url(repo));
            assertThat(ok.code()).as(ok.output() + server.log()).isZero();
            assertThat(ok.output()).contains(head + "\trefs/heads/production");

            Result refused = git(dir, Map.of("GIT_SSH_COMMAND", ssh(bad, knownHosts)), "ls-remote", server.url(repo));
            assertThat(refused.code()).isNotZero();
            assertThat(refused.output()).contains("Permission denied");
        }
    }

    @Test
    void httpsServesARepositoryBehindBasicAuth(@TempDir Path dir) throws Exception {
        assumeTrue(GitHttpsServer.installed(), "nginx or fcgiwrap is not installed");
        Path root = dir.resolve("repos");
        String head;
        try (GitRepo control = GitRepo.createBare(root.resolve("control.git"))) {
            head = control.commit("production", Map.of("Puppetfile", "# none\n"));
        }
        try (GitHttpsServer server = GitHttpsServer.start(dir.resolve("https"), root, "deploy", "s3cret")) {
            Map<String, String> trust = Map.of("GIT_SSL_CAINFO", server.certificate().toString(),
                    "GIT_TERMINAL_PROMPT", "0");
            String url = server.url("control.git");
            Result ok = git(dir, trust, "ls-remote", url.replace("https://", "https://deploy:s3cret@"));
            assertThat(ok.code()).as(ok.output() + server.log()).isZero();
            assertThat(ok.output()).contains(head + "\trefs/heads/production");

            Result refused = git(dir, trust, "ls-remote", url.replace("https://", "https://deploy:wrong@"));
            assertThat(refused.code()).isNotZero();
            assertThat(refused.output()).contains("Authentication failed");
        }
    }

    private static String ssh(Path key, Path knownHosts) {
        return "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile=" + knownHosts;
    }

    private record Result(int code, String output) {
    }

    private static Result git(Path dir, Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return new Result(process.exitValue(), output);
    }
}
