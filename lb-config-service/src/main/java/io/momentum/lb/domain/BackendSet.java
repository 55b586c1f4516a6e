package io.momentum.lb.domain;

import io.momentum.shared.event.LbBackend;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The servers a load balancer should have, sorted by master id so that the same fleet always renders the same
 * bytes.
 */
public record BackendSet(List<LbServer> servers) {

    public static final BackendSet EMPTY = new BackendSet(List.of());

    public BackendSet {
        servers = servers.stream().sorted(Comparator.comparing(LbServer::masterId)).toList();
    }

    /** A set without an ACTIVE server would take every agent offline: it is never applied. */
    public boolean canServe() {
        return servers.stream().anyMatch(LbServer::active);
    }

    public long activeCount() {
        return servers.stream().filter(LbServer::active).count();
    }

    /** The servers that take or finish traffic, as published in LbConfigApplied. */
    public List<LbBackend> routed() {
        return servers.stream().filter(s -> s.state() != ServerState.MAINT).map(LbServer::toLbBackend).toList();
    }

    public Optional<LbServer> server(String masterId) {
        return servers.stream().filter(s -> s.masterId().equals(masterId)).findFirst();
    }
}
