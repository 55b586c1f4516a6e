package io.momentum.health.rest;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.RolloutView;
import io.momentum.service.security.ApiRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The rollouts this monitor coordinates: per environment whose latest plan is FLEET or CANARY, how far it is. */
@Path("/api/v1/rollouts")
@RolesAllowed(ApiRoles.READER)
@Produces(MediaType.APPLICATION_JSON)
public class RolloutsResource {

    @Inject
    MonitoredFleet fleet;

    @GET
    @Operation(summary = "Every FLEET or CANARY rollout: phase, masters activated, switched, staged and pending, why")
    public List<RolloutView> rollouts() {
        return fleet.rollouts();
    }

    @GET
    @Path("{environment}")
    @Operation(summary = "The rollout of one environment's latest plan (404 unless it is FLEET or CANARY)")
    public RolloutView rollout(@PathParam("environment") String environment) {
        return fleet.rollout(environment)
                .orElseThrow(() -> new NotFoundException("no FLEET or CANARY plan for environment " + environment));
    }
}
