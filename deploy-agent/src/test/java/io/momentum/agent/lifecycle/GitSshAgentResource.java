package io.momentum.agent.lifecycle;

import io.momentum.testing.GitRepo;
import io.momentum.testing.GitSshServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real OpenSSH server serving the control repository (production, with a Puppetfile module on the same server)
 * and an agent configured with a deploy key FILE that at first holds a key the server refuses: the test fixes the
 * file's content later, as an operator would.
 */
public class GitSshAgentResource implements QuarkusTestResourceLifecycleManager {

    static final Path BASE = Path.of("target", "ssh-agent").toAbsolutePath();
    static final Path KEY_FILE = BASE.resolve("etc/id_ed25519");
    static final Path ENVIRONMENTS = BASE.resolve("environments");
    static Path goodKey;
    private GitSshServer ssh;

    @Override
    public Map<String, String> start() {
        deleteRecursively(BASE);
        goodKey = GitSshServer.newClientKey(BASE.resolve("keys"), "deploy", "");
        Path wrongKey = GitSshServer.newClientKey(BASE.resolve("keys"), "wrong", "");
        ssh = GitSshServer.start(BASE.resolve("sshd"), List.of(Path.of(goodKey + ".pub")));
        Path control = BASE.resolve("repos/control.git");
        Path motd = BASE.resolve("repos/motd.git");
        try (GitRepo controlRepo = GitRepo.createBare(control); GitRepo motdRepo = GitRepo.createBare(motd)) {
            motdRepo.tag("v1", motdRepo.commit("main", Map.of("manifests/init.pp", "class motd { }\n")));
            controlRepo.commit("production", Map.of("Puppetfile",
                    "mod 'motd', :git => '" + ssh.url(motd) + "', :tag => 'v1'\n"));
        }
        try {
            Files.createDirectories(KEY_FILE.getParent());
            Files.copy(wrongKey, KEY_FILE, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(BASE.resolve("etc/known_hosts"), ssh.knownHostsLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "momentum.deploy.backend", "native",
                "momentum.agent.master-id", "ssh-master",
                "momentum.agent.catch-up-from-branches", "true",
                "momentum.deploy.environments-dir", ENVIRONMENTS.toString(),
                "momentum.deploy.cache-dir", BASE.resolve("cache").toString(),
                "momentum.sources.control.remote", ssh.url(control),
                "momentum.git.private-key", KEY_FILE.toString(),
                "momentum.git.known-hosts", BASE.resolve("etc/known_hosts").toString(),
                "momentum.git.ssh-agent-socket", BASE.resolve("no-agent.sock").toString());
    }

    @Override
    public void stop() {
        if (ssh != null) {
            ssh.close();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
