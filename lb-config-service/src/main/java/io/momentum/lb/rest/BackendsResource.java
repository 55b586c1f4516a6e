package io.momentum.lb.rest;

import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.LbServer;
import io.momentum.lb.service.LbService;
import io.momentum.service.security.ApiRoles;
import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.LbConfigApplied;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the load balancers should have and what they have: GET /api/v1/backends. */
@Path("/api/v1/backends")
@RolesAllowed(ApiRoles.READER)
@Produces(MediaType.APPLICATION_JSON)
public class BackendsResource {

    @Inject
    LbService service;

    @Inject
    LbConfig config;

    /**
     * @param caughtUp whether the status topic has been replayed (before that nothing is applied)
     * @param desired every known master with its state (active, draining, maint), sorted by master id
     * @param backends per load balancer backend: the servers live and the latest attempt
     */
    public record BackendsView(String lbId, boolean caughtUp, List<ServerView> desired,
            Map<String, BackendStatus> backends) {
    }

    public record ServerView(String masterId, String address, String state, boolean mom) {
    }

    public record BackendStatus(List<LbBackend> live, LbConfigApplied lastAttempt) {
    }

    @GET
    public BackendsView backends() {
        LbService.Snapshot snapshot = service.snapshot();
        Map<String, BackendStatus> backends = new TreeMap<>();
        snapshot.backends().forEach((name, view) -> backends.put(name, new BackendStatus(
                view.live().map(set -> set.routed()).orElse(List.of()), view.last())));
        return new BackendsView(config.lbId(), snapshot.caughtUp(),
                snapshot.desired().servers().stream().map(BackendsResource::server).toList(), backends);
    }

    private static ServerView server(LbServer server) {
        return new ServerView(server.masterId(), server.address().render(), server.state().name(), server.mom());
    }
}
