package io.momentum.agent.config;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.GitRemotes;
import io.momentum.agent.schedule.Targets;
import io.momentum.git.GitAccess;
import io.momentum.git.GitConfig;
import io.momentum.git.SourcesConfig;
import io.momentum.service.config.Strategies;
import io.momentum.shared.source.Source;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The deploy backend {@code momentum.deploy.backend} names: the {@link Deployer} bean carrying that
 * {@code @Identifier} (native, r10k, g10k). A singleton, so that an unknown name fails start-up (the agent's
 * life-cycle needs the deployer when it starts), not the first deploy. Also the settings every backend shares
 * (with the sources of {@code momentum.sources.*} and the git access of {@code momentum.git.*}), and the deploy
 * targets.
 */
@ApplicationScoped
public class DeployerProducer {

    private static final Logger LOG = Logger.getLogger(DeployerProducer.class);
    static final String BACKEND_KEY = "momentum.deploy.backend";

    @Produces
    @Singleton
    Deployer deployer(DeployConfig config, @Any Instance<Deployer> backends) {
        return choose(config.backend(), backends);
    }

    @Produces
    @Singleton
    GitRemotes gitRemotes(GitAccess access, GitConfig git) {
        return new GitRemotes(access, git);
    }

    @Produces
    @Singleton
    DeployerSettings deployerSettings(DeployConfig config, SourcesConfig sources, GitRemotes remotes) {
        return settings(config, sources.sources(), remotes);
    }

    @Produces
    @ApplicationScoped
    Targets targets(DeployerSettings settings) {
        return new Targets(settings.sources(), new BranchLister(settings.git(), settings.commandTimeout()));
    }

    /**
     * The backend bean named {@code name}.
     *
     * @throws IllegalStateException naming the key, the unknown value and the known names
     */
    public static Deployer choose(String name, Instance<Deployer> backends) {
        Deployer chosen = Strategies.choose(backends, BACKEND_KEY, name, "deploy backend");
        LOG.infof("deploy backend %s", name);
        return chosen;
    }

    public static DeployerSettings settings(DeployConfig config, List<Source> sources, GitRemotes remotes) {
        // The external backends' executable is their own name on the PATH unless configured.
        String executable = config.backend().equals("native") ? null
                : config.executable().orElse(config.backend());
        DeployerSettings settings = new DeployerSettings(config.environmentsDir(), config.cacheDir(), sources,
                config.forgeBaseUrl(), config.parallelism(), config.commandTimeout(), executable, remotes,
                config.r10k().gitProvider(), config.keepVersions());
        if (sources.isEmpty()) {
            LOG.warn("no control repository configured (momentum.sources.<name>.remote): nothing to catch up on");
        }
        LOG.infof("deploying into %s, sources %s", settings.environmentsDir(),
                sources.stream().map(Source::name).toList());
        return settings;
    }
}
