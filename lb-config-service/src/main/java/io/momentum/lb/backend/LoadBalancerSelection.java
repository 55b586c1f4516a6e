package io.momentum.lb.backend;

import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.LoadBalancer;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
        Set<String> wanted = new LinkedHashSet<>();
        names.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty())
                .forEach(wanted::add);
        if (wanted.isEmpty()) {
            throw new IllegalStateException(KEY + " names no load balancer; known: " + known(available));
        }
        List<LoadBalancer> chosen = new ArrayList<>();
        for (String name : wanted) {
            Instance<LoadBalancer> match = available.select(Identifier.Literal.of(name));
            if (!match.isResolvable()) {
                throw new IllegalStateException(KEY + "=" + String.join(",", names) + ": " + name
                        + " is not a load balancer; known: " + known(available));
            }
            chosen.add(match.get());
        }
        // naming them creates them now: a load balancer's own settings are checked at start-up too
        LOG.infof("driving %s", chosen.stream().map(LoadBalancer::name).toList());
        return List.copyOf(chosen);
    }

    /** The identifiers of the load balancer beans, sorted. */
    static String known(Instance<LoadBalancer> available) {
        return String.join(", ", names(available));
    }

    static List<String> names(Instance<LoadBalancer> available) {
        return available.handlesStream()
                .flatMap(handle -> handle.getBean().getQualifiers().stream())
                .filter(Identifier.class::isInstance)
                .map(qualifier -> ((Identifier) qualifier).value())
                .sorted()
                .toList();
    }
}
