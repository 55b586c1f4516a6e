package io.momentum.agent.deployer;

import io.momentum.shared.source.Source;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the real {@code g10k} with a generated configuration: each source with its {@code private_key} (the key
 * {@code momentum.git.*} gives the source's remote; g10k loads it into an ssh-agent of its own for the control
 * repository and the source's Puppetfile modules) and, like every external backend, {@code GIT_SSH_COMMAND} for
 * known_hosts and batch mode. g10k exits 0 even for a branch that exists in no source; {@link ExternalDeployer}
 * checks that the environment's {@code .g10k-deploy.json} names the plan's commit, and fails otherwise. Not atomic.
 */
@Singleton
@Identifier("g10k")
public final class G10kDeployer extends ExternalDeployer {

    static final String DEPLOY_FILE = ".g10k-deploy.json";

    @Inject
    public G10kDeployer(DeployerSettings settings) {
        super(settings);
    }

    @Override
    String tool() {
        return "g10k";
    }

    @Override
    String deployFileName() {
        return DEPLOY_FILE;
    }

    @Override
    void deployBranch(EnvironmentTarget target) throws DeployException {
        run(List.of(executable(), "-config", config().toString(), "-branch", target.branch(), "-maxworker",
                String.valueOf(Math.max(1, settings.parallelism())), "-quiet"));
    }

    private Path config() throws DeployException {
        StringBuilder yaml = new StringBuilder("---\n");
        yaml.append(":cachedir: ").append(yaml(settings.cacheDir().resolve("g10k").toString())).append('\n');
        yaml.append("forge:\n  baseurl: ").append(yaml(settings.forgeBaseUrl())).append('\n');
        yaml.append("sources:\n");
        for (Source source : settings.sources()) {
            yaml.append("  ").append(yaml(source.name())).append(":\n");
            yaml.append("    remote: ").append(yaml(source.remote())).append('\n');
            yaml.append("    basedir: ").append(yaml(settings.environmentsDir() + "/")).append('\n');
            yaml.append("    prefix: ").append(source.prefix() == null ? "false" : yaml(source.prefix())).append('\n');
            settings.git().credentials(source.remote()).privateKey().ifPresent(key -> yaml
                    .append("    private_key: ").append(yaml(key.toAbsolutePath().toString())).append('\n'));
            yaml.append("    invalid_branches: correct\n");
        }
        return writeConfig("g10k.yaml", yaml.toString());
    }
}
