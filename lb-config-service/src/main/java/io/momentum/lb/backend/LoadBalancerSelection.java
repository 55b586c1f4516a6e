package io.momentum.lb.backend;

import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.LoadBalancer;
import io.momentum.service.config.Strategies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The load balancers {@code momentum.lb.backends} names, in that order: the {@link LoadBalancer} beans carrying
 * those {@code @Identifier}s (nginx, haproxy). A singleton the service needs when it starts, so that an unknown name
 * fails start-up, not the first apply.
 */
@ApplicationScoped
public class LoadBalancerSelection {

    private static final Logger LOG = Logger.getLogger(LoadBalancerSelection.class);
    static final String KEY = "momentum.lb.backends";

    @Produces
    @Singleton
    List<LoadBalancer> loadBalancers(LbConfig config, @Any Instance<LoadBalancer> available) {
        return choose(config.backends(), available);
    }

    /**
     * The load balancer beans named in {@code names} (trimmed, case-insensitive, duplicates once).
     *
     * @throws IllegalStateException naming the key, the unknown value and the known names
     */
    public static List<LoadBalancer> choose(List<String> names, Instance<LoadBalancer> available) {
        List<LoadBalancer> chosen = Strategies.chooseAll(available, KEY, names, "load balancer");
        // naming them creates them now: a load balancer's own settings are checked at start-up too
        LOG.infof("driving %s", chosen.stream().map(LoadBalancer::name).toList());
        return chosen;
    }
}
