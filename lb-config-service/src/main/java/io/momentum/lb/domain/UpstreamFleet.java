package io.momentum.lb.domain;

import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterStatus;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The masters upstream of the load balancer: the latest MasterStatus per master id, as replayed from the compacted
 * status topic, and the backend set derived from it. Not thread-safe: the owner serializes access.
 */
public final class UpstreamFleet {

    private static final Logger LOG = Logger.getLogger(UpstreamFleet.class);

    private final Map<String, LbServer> servers = new TreeMap<>();
    private final boolean momCompiles;

    /**
     * @param momCompiles whether the MoM is also a server of the compile pool; without it, it is left out and agents
     *     reach its CA directly ({@code ca_server})
     */
    public UpstreamFleet(boolean momCompiles) {
        this.momCompiles = momCompiles;
    }

    /**
     * Applies one record of the status topic.
     *
     * @param key the record key (the master id); falls back to the status' own id when absent
     * @param status the value, {@code null} for a tombstone (the master was decommissioned)
     * @return whether the backend set changed (heartbeat re-publications of the same state do not)
     */
    public boolean update(String key, MasterStatus status) {
        String masterId = key != null ? key : status == null ? null : status.masterId();
        if (masterId == null) {
            return false;
        }
        if (status == null) {
            return servers.remove(masterId) != null;
        }
        if (!masterId.equals(status.masterId())) {
            LOG.warnf("status record keyed %s names master %s; using the key", masterId, status.masterId());
        }
        Optional<LbAddress> address = LbAddress.parse(status.lbAddress());
        if (address.isEmpty()) {
            LOG.warnf("master %s has no usable lbAddress (%s); it is left out of the load balancer", masterId,
                    status.lbAddress());
            return servers.remove(masterId) != null;
        }
        LbServer server = new LbServer(masterId, address.get(), stateOf(status), status.role() == MasterRole.MOM);
        return !server.equals(servers.put(masterId, server));
    }

    public BackendSet desired() {
        return new BackendSet(servers.values().stream().filter(server -> momCompiles || !server.mom()).toList());
    }

    public int size() {
        return servers.size();
    }

    private static ServerState stateOf(MasterStatus status) {
        if (status.draining()) {
            return ServerState.DRAINING;
        }
        return status.routable() ? ServerState.ACTIVE : ServerState.MAINT;
    }
}
