package io.momentum.health.config;

import io.momentum.health.domain.RoutingPolicy;
import io.momentum.health.domain.ServeStalePolicy;
import io.momentum.health.domain.StrictPolicy;
import io.momentum.service.config.Strategies;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The routing policies as beans, one per {@code @Identifier}, and the one {@code momentum.health.policy} names. The
 * policies themselves are plain domain classes; a new one is its class plus one producer here.
 */
public class RoutingPolicies {

    private static final Logger LOG = Logger.getLogger(RoutingPolicies.class);
    static final String POLICY_KEY = "momentum.health.policy";

    @Produces
    @ApplicationScoped
    @Identifier("serve-stale")
    RoutingPolicy serveStale() {
        return new ServeStalePolicy();
    }

    @Produces
    @ApplicationScoped
    @Identifier("strict")
    RoutingPolicy strict() {
        return new StrictPolicy();
    }

    /** A singleton, so that an unknown name fails start-up (the fleet needs its policy), not the first verdict. */
    @Produces
    @Singleton
    RoutingPolicy chosen(HealthConfig config, @Any Instance<RoutingPolicy> policies) {
        return choose(config.policy(), policies);
    }

    /**
     * The policy bean named {@code name}.
     *
     * @throws IllegalStateException naming the key, the unknown value and the known names
     */
    static RoutingPolicy choose(String name, Instance<RoutingPolicy> policies) {
        RoutingPolicy chosen = Strategies.choose(policies, POLICY_KEY, name, "routing policy");
        LOG.infof("routing policy %s", name);
        return chosen;
    }
}
