package io.momentum.health.config;

import io.momentum.health.domain.FlapDamping;
import io.momentum.health.domain.Fleet;
import io.momentum.health.domain.HealthSettings;
import io.momentum.health.domain.RoutingPolicy;
import io.momentum.health.domain.StaticMaster;
import io.momentum.health.probe.PemTls;
import io.momentum.health.probe.PuppetStatusClient;
import io.momentum.health.probe.StatusProbe;
import io.momentum.shared.event.MasterIdPattern;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;

/** Turns {@link HealthConfig} into the domain objects, refusing a configuration that cannot work at start-up. */
public class MonitorBeans {

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
                        config.flap().stableFor()));
    }

    @Produces
    @Singleton
    Fleet fleet(HealthConfig config, HealthSettings settings, Clock clock) {
        return new Fleet(settings, RoutingPolicy.named(config.policy()), staticMasters(config), clock);
    }

    @Produces
    @Singleton
    StatusProbe statusProbe(HealthConfig config, HealthSettings settings, Clock clock) {
        return new PuppetStatusClient(PuppetStatusClient.httpClient(sslContext(config.tls()), settings.timeout()),
                settings.timeout(), config.serviceDetails(), clock);
    }

    static SSLContext sslContext(HealthConfig.Tls tls) {
        if (tls.caCert().isEmpty()) {
            if (tls.clientCert().isPresent()) {
                throw new IllegalArgumentException("momentum.health.tls.client-cert needs tls.ca-cert");
            }
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return PemTls.sslContext(tls.caCert().get(), tls.clientCert().orElse(null), tls.clientKey().orElse(null));
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
