package io.momentum.lb.testing;

import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.LbAddress;
import io.momentum.lb.domain.LbServer;
import io.momentum.lb.domain.ServerState;
import java.util.ArrayList;
import java.util.List;

/** Backend sets for tests, e.g. {@code Sets.of(backends).active("a").draining("b").build()}. */
public final class Sets {

    private final LoopbackBackends backends;
    private final List<LbServer> servers = new ArrayList<>();

    private Sets(LoopbackBackends backends) {
        this.backends = backends;
    }

    public static Sets of(LoopbackBackends backends) {
        return new Sets(backends);
    }

    public Sets active(String... names) {
        return add(ServerState.ACTIVE, names);
    }

    public Sets draining(String... names) {
        return add(ServerState.DRAINING, names);
    }

    public Sets maint(String... names) {
        return add(ServerState.MAINT, names);
    }

    public Sets at(String name, String address, ServerState state) {
        servers.add(new LbServer(name, LbAddress.parse(address).orElseThrow(), state, false));
        return this;
    }

    public BackendSet build() {
        return new BackendSet(servers);
    }

    private Sets add(ServerState state, String... names) {
        for (String name : names) {
            at(name, backends.address(name), state);
        }
        return this;
    }
}
