package io.momentum.health.config;

import io.momentum.health.domain.FlapDamping;
import io.momentum.health.domain.HealthSettings;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.RolloutSettings;
import io.momentum.health.domain.RoutingPolicy;
import io.momentum.health.domain.StaticMaster;
import io.momentum.health.probe.CurrentTlsProbe;
import io.momentum.health.probe.PuppetStatusClient;
import io.momentum.health.probe.StatusProbe;
import io.momentum.service.tls.TlsContexts;
import io.momentum.shared.event.MasterIdPattern;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;

/** Turns {@link HealthConfig} and {@link RolloutConfig} into the domain objects, refusing a configuration that cannot work at start-up. */
public class MonitorBeans {

    /** The name of the TLS configuration for probing Puppet Servers. */
    static final String PUPPET_TLS = "puppet";

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    HealthSettings settings(HealthConfig config) {
        return new HealthSettings(config.interval(), config.timeout(), config.rise(), config.fall(),
                config.publishInterval(), new FlapDamping(config.flap().maxChanges(), config.flap().window(),
                        config.flap().stableFor()), config.feed().recoveryGrace());
    }

    @Produces
    @Singleton
    RolloutSettings rolloutSettings(RolloutConfig config) {
        List<String> canaries = config.canary().masters().orElse(List.of());
        canaries.forEach(id -> {
            if (!id.matches(MasterIdPattern.REGEX)) {
                throw new IllegalArgumentException("momentum.rollout.canary.masters: invalid id '" + id + "'");
            }
        });
        return new RolloutSettings(config.stageTimeout(), config.onStageTimeout(), canaries,
                config.canary().soak(), config.canary().batchSize());
    }

    @Produces
    @Singleton
    MonitoredFleet fleet(HealthConfig config, HealthSettings settings, RolloutSettings rollouts,
            RoutingPolicy policy, Clock clock) {
        return new MonitoredFleet(settings, rollouts, policy, staticMasters(config), clock);
    }

    /**
     * Probes over TLS with the registry's {@value #PUPPET_TLS} configuration ({@code quarkus.tls.puppet.*}: Puppet's
     * CA, and where auth.conf wants one this host's Puppet certificate and key), or the JVM's trust without it; with
     * {@code quarkus.tls.puppet.reload-period} renewed files are used once the registry reloaded them.
     */
    @Produces
    @Singleton
    StatusProbe statusProbe(HealthConfig config, HealthSettings settings, Clock clock, TlsContexts tls) {
        return new CurrentTlsProbe(() -> tls.context(PUPPET_TLS).orElseGet(MonitorBeans::jvmDefault),
                context -> new PuppetStatusClient(PuppetStatusClient.httpClient(context, settings.timeout()),
                        settings.timeout(), config.serviceDetails(), clock));
    }

    private static SSLContext jvmDefault() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<StaticMaster> staticMasters(HealthConfig config) {
        return config.masters().stream().map(master -> {
            if (!master.id().matches(MasterIdPattern.REGEX)) {
                throw new IllegalArgumentException("momentum.health.masters: invalid id '" + master.id() + "'");
            }
            master.url().ifPresent(url -> {
                String scheme = URI.create(url).getScheme();
                if (!"https".equals(scheme) && !"http".equals(scheme)) {
                    throw new IllegalArgumentException("momentum.health.masters[" + master.id()
                            + "].url must be http(s): " + url);
                }
            });
            return new StaticMaster(master.id(), master.url().orElse(null), master.lbAddress().orElse(null),
                    master.role().orElse(null));
        }).toList();
    }
}
