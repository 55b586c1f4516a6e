package io.momentum.lb.domain;

import io.momentum.shared.event.LbBackend;
import java.util.Objects;

/**
 * One master as the load balancer sees it.
 *
 * @param masterId also the HAProxy server name (master ids are restricted to characters HAProxy accepts)
 * @param mom the Master of Masters, home of the CA
 */
public record LbServer(String masterId, LbAddress address, ServerState state, boolean mom) {

    public LbServer {
        Objects.requireNonNull(masterId, "masterId");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }

    public boolean active() {
        return state == ServerState.ACTIVE;
    }

    public LbBackend toLbBackend() {
        return new LbBackend(masterId, address.render(), state == ServerState.DRAINING);
    }
}
