package io.momentum.agent.config;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.domain.ControlSource;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.config.Strategies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The deploy backend {@code momentum.deploy.backend} names: the {@link Deployer} bean carrying that
 * {@code @Identifier} (native, r10k, g10k). A singleton, so that an unknown name fails start-up (the agent's
 * life-cycle needs the deployer when it starts), not the first deploy. Also the settings every backend shares, and
 * the deploy targets.
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
    DeployerSettings deployerSettings(DeployConfig config) {
        return settings(config);
    }

    @Produces
    @ApplicationScoped
    Targets targets(DeployConfig config) {
        return new Targets(controlSources(config), new BranchLister());
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

    public static DeployerSettings settings(DeployConfig config) {
        // The external backends' executable is their own name on the PATH unless configured.
        String executable = config.backend().equals("native") ? null
                : config.executable().orElse(config.backend());
        DeployerSettings settings = new DeployerSettings(config.environmentsDir(), config.cacheDir(),
                controlSources(config), config.forgeBaseUrl(), config.parallelism(), config.commandTimeout(),
                executable);
        LOG.infof("deploying into %s, sources %s", settings.environmentsDir(),
                settings.sources().stream().map(ControlSource::name).toList());
        return settings;
    }

    /** The configured sources, with r10k's prefix rules: {@code true} is the source name, {@code false} none. */
    public static List<ControlSource> controlSources(DeployConfig config) {
        return config.sources().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new ControlSource(entry.getKey(), entry.getValue().remote(),
                        entry.getValue().prefix().map(prefix -> switch (prefix) {
                            case "true" -> entry.getKey();
                            case "false", "" -> null;
                            default -> prefix;
                        }).orElse(null)))
                .toList();
    }
}
