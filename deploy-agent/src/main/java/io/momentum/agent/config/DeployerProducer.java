package io.momentum.agent.config;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.G10kDeployer;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.deployer.R10kDeployer;
import io.momentum.agent.domain.ControlSource;
import io.momentum.agent.schedule.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** The deploy backend chosen by {@code momentum.deploy.backend} (native, r10k or g10k), and the deploy targets. */
@ApplicationScoped
public class DeployerProducer {

    private static final Logger LOG = Logger.getLogger(DeployerProducer.class);

    @Produces
    @ApplicationScoped
    Deployer deployer(DeployConfig config) {
        return create(config);
    }

    void close(@Disposes Deployer deployer) throws Exception {
        if (deployer instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @ApplicationScoped
    Targets targets(DeployConfig config) {
        return new Targets(controlSources(config), new BranchLister());
    }

    public static Deployer create(DeployConfig config) {
        DeployerSettings settings = settings(config);
        LOG.infof("deploy backend %s into %s, sources %s", config.backend(), settings.environmentsDir(),
                settings.sources().stream().map(ControlSource::name).toList());
        return switch (config.backend()) {
            case NATIVE -> new NativeDeployer(settings);
            case R10K -> new R10kDeployer(settings);
            case G10K -> new G10kDeployer(settings);
        };
    }

    public static DeployerSettings settings(DeployConfig config) {
        String executable = config.backend() == DeployConfig.Backend.NATIVE ? null
                : config.executable().orElse(config.backend().name().toLowerCase(java.util.Locale.ROOT));
        return new DeployerSettings(config.environmentsDir(), config.cacheDir(), controlSources(config),
                config.forgeBaseUrl(), config.parallelism(), config.commandTimeout(), executable);
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
