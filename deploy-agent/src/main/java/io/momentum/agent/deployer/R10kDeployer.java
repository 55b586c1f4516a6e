package io.momentum.agent.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.agent.domain.ControlSource;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the real {@code r10k} (3.x) with a generated {@code r10k.yaml}: the configured sources with
 * {@code invalid_branches: correct}, the Forge base URL, and the rugged git provider (libgit2, several times faster
 * than r10k's default shell git). Not atomic: see {@link ExternalDeployer}.
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
    public DeployOutcome deploy(EnvironmentTarget target) throws DeployException {
        Path dir = environmentDir(target.environment());
        source(target);
        JsonNode before = readDeployFile(dir);
        run(List.of(executable(), "deploy", "environment", target.environment(), "--modules", "--config",
                config().toString()));
        return outcome(target.environment(), before);
    }

    @Override
    public DeployOutcome deployModule(EnvironmentTarget target, String module) throws DeployException {
        Path dir = environmentDir(target.environment());
        try {
            EnvironmentNames.requireValidModule(module);
        } catch (InvalidNameException e) {
            throw new DeployException("cannot deploy module: " + e.getMessage());
        }
        JsonNode before = readDeployFile(dir);
        if (before == null) {
            return deploy(target);
        }
        run(List.of(executable(), "deploy", "module", module, "--environment", target.environment(), "--config",
                config().toString()));
        return outcome(target.environment(), before);
    }

    private Path config() throws DeployException {
        StringBuilder yaml = new StringBuilder("---\n");
        yaml.append("cachedir: ").append(yaml(settings.cacheDir().resolve("r10k").toString())).append('\n');
        yaml.append("sources:\n");
        for (ControlSource source : settings.sources()) {
            yaml.append("  ").append(yaml(source.name())).append(":\n");
            yaml.append("    remote: ").append(yaml(source.remote())).append('\n');
            yaml.append("    basedir: ").append(yaml(settings.environmentsDir().toString())).append('\n');
            yaml.append("    prefix: ").append(source.prefix() == null || source.prefix().isEmpty() ? "false"
                    : yaml(source.prefix())).append('\n');
            yaml.append("    invalid_branches: correct\n");
        }
        yaml.append("git:\n  provider: rugged\n");
        yaml.append("forge:\n  baseurl: ").append(yaml(settings.forgeBaseUrl())).append('\n');
        return writeConfig("r10k.yaml", yaml.toString());
    }
}
