package io.momentum.agent.lifecycle;

import io.momentum.testing.GitRepo;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agent with the real native deployer against real git repositories under {@code target/native-agent}: a
 * control repository with {@code production} (one git module at a tag) and {@code development}, created before the
 * application starts so that the start-up catch-up has something to deploy.
 */
public class NativeAgentProfile implements QuarkusTestProfile {

    static final Path BASE = Path.of("target", "native-agent").toAbsolutePath();
    static final Path CONTROL = BASE.resolve("control.git");
    static final Path MOTD = BASE.resolve("motd.git");
    static final Path ENVIRONMENTS = BASE.resolve("environments");

    @Override
    public Map<String, String> getConfigOverrides() {
        deleteRecursively(BASE);
        try (GitRepo control = GitRepo.createBare(CONTROL); GitRepo motd = GitRepo.createBare(MOTD)) {
            String v1 = motd.commit("main", Map.of("manifests/init.pp", "class motd { }\n"));
            motd.tag("v1.0.0", v1);
            control.commit("production", Map.of(
                    "Puppetfile", "mod 'acme-motd', :git => '" + motd.url() + "', :tag => 'v1.0.0'\n",
                    "environment.conf", "modulepath = modules:site\n",
                    "site/role/manifests/init.pp", "class role { }\n"));
            control.commit("development", Map.of("Puppetfile", "", "environment.conf", "modulepath = modules\n"));
        }
        return Map.of(
                "momentum.deploy.backend", "native",
                "momentum.agent.master-id", "native-master",
                "momentum.deploy.environments-dir", ENVIRONMENTS.toString(),
                "momentum.deploy.cache-dir", BASE.resolve("cache").toString(),
                "momentum.agent.catch-up-from-branches", "true",
                "momentum.sources.control.remote", CONTROL.toUri().toString());
    }

    private static void deleteRecursively(Path dir) {
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
