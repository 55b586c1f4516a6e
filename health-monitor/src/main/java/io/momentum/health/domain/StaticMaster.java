package io.momentum.health.domain;

import io.momentum.shared.event.MasterRole;
import java.util.Objects;

/**
 * A master from the monitor's own configuration, for Puppet Servers without a deploy-agent (or before it
 * announces itself). What is set here wins over the master's announcement; what is missing comes from it.
 *
 * @param url Puppet Server base URL, e.g. {@code https://cm1.example.net:8140}; may be {@code null}
 * @param lbAddress host:port for the load balancer; may be {@code null}
 * @param role may be {@code null}
 */
public record StaticMaster(String id, String url, String lbAddress, MasterRole role) {

    public StaticMaster {
        Objects.requireNonNull(id, "id");
    }
}
