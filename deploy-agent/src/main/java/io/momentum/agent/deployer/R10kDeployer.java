package io.momentum.agent.deployer;

import io.momentum.git.GitConfig;
import io.momentum.git.GitCredentials;
import io.momentum.shared.source.Source;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the real {@code r10k} (3.x) with a generated {@code r10k.yaml}: the configured sources with
 * {@code invalid_branches: correct}, the Forge base URL, and r10k's {@code git:} settings from
 * {@code momentum.git.*}: the provider ({@code rugged} by default, libgit2, several times faster than
 * {@code shellgit}), {@code private_key}, {@code username}, {@code oauth_token} (a file), {@code proxy} and one
 * {@code repositories} entry per source and per configured remote (r10k matches those by the whole URL). Only file
 * paths are written, never a secret. {@code shellgit} runs git, which reaches SSH remotes through the
 * {@code GIT_SSH_COMMAND} every external backend sets. libgit2 (rugged) checks SSH host keys against
 * {@code $HOME/.ssh/known_hosts} alone, so r10k runs with a HOME of its own under the cache dir whose
 * known_hosts is a copy of {@code momentum.git.known-hosts}, made before each run. Not atomic: see
 * {@link ExternalDeployer}.
 */
@Singleton
@Identifier("r10k")
public final class R10kDeployer extends ExternalDeployer {

    @Inject
    public R10kDeployer(DeployerSettings settings) {
        super(settings);
    }

    @Override
    String tool() {
        return "r10k";
    }

    @Override
    String deployFileName() {
        return R10kDeployFile.NAME;
    }

    @Override
    void deployBranch(EnvironmentTarget target) throws DeployException {
        run(List.of(executable(), "deploy", "environment", target.environment(), "--modules", "--config",
                config().toString()));
    }

    @Override
    protected Map<String, String> environment() throws DeployException {
        if (!"rugged".equals(settings.r10kGitProvider())) {
            return super.environment();
        }
        Path home = settings.cacheDir().resolve("r10k-home");
        Path knownHosts = settings.git().transport().knownHosts();
        try {
            Files.createDirectories(home.resolve(".ssh"));
            if (Files.isReadable(knownHosts)) {
                Files.copy(knownHosts, home.resolve(".ssh/known_hosts"), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(home.resolve(".ssh/known_hosts"));
            }
        } catch (IOException e) {
            throw new DeployException("cannot give r10k the known_hosts " + knownHosts + ": " + e.getMessage(), e);
        }
        Map<String, String> environment = new LinkedHashMap<>(super.environment());
        environment.put("HOME", home.toString());
        return environment;
    }

    private Path config() throws DeployException {
        StringBuilder yaml = new StringBuilder("---\n");
        yaml.append("cachedir: ").append(yaml(settings.cacheDir().resolve("r10k").toString())).append('\n');
        yaml.append("sources:\n");
        for (Source source : settings.sources()) {
            yaml.append("  ").append(yaml(source.name())).append(":\n");
            yaml.append("    remote: ").append(yaml(source.remote())).append('\n');
            yaml.append("    basedir: ").append(yaml(settings.environmentsDir().toString())).append('\n');
            yaml.append("    prefix: ").append(source.prefix() == null ? "false" : yaml(source.prefix())).append('\n');
            yaml.append("    invalid_branches: correct\n");
        }
        yaml.append(gitSettings());
        yaml.append("forge:\n  baseurl: ").append(yaml(settings.forgeBaseUrl())).append('\n');
        return writeConfig("r10k.yaml", yaml.toString());
    }

    /** r10k.yaml's {@code git:} section. */
    String gitSettings() {
        GitConfig git = settings.git().config();
        StringBuilder yaml = new StringBuilder("git:\n");
        yaml.append("  provider: ").append(yaml(settings.r10kGitProvider())).append('\n');
        GitCredentials global = settings.git().credentials("");
        global.privateKey().ifPresent(key -> yaml.append("  private_key: ").append(yaml(key.toString())).append('\n'));
        git.username().ifPresent(user -> yaml.append("  username: ").append(yaml(user)).append('\n'));
        global.httpsSecretFile().ifPresent(file -> yaml.append("  oauth_token: ").append(yaml(file.toString()))
                .append('\n'));
        settings.git().transport().proxy().ifPresent(proxy -> yaml.append("  proxy: ").append(yaml(proxy))
                .append('\n'));
        Map<String, GitCredentials> repositories = new LinkedHashMap<>();
        settings.sources().forEach(source -> repositories.put(source.remote(), settings.git().credentials(
                source.remote())));
        git.repositories().forEach(entry -> repositories.putIfAbsent(entry.remote(), settings.git().credentials(
                entry.remote())));
        repositories.values().removeIf(global::equals);
        if (!repositories.isEmpty()) {
            yaml.append("  repositories:\n");
            repositories.forEach((remote, credentials) -> {
                yaml.append("    - remote: ").append(yaml(remote)).append('\n');
                entry(yaml, "private_key", credentials.privateKey());
                entry(yaml, "oauth_token", credentials.httpsSecretFile());
            });
        }
        return yaml.toString();
    }

    private static void entry(StringBuilder yaml, String key, Optional<Path> file) {
        file.ifPresent(path -> yaml.append("      ").append(key).append(": ").append(yaml(path.toString()))
                .append('\n'));
    }
}
