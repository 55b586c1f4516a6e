package io.momentum.health.rest;

import io.momentum.health.domain.MonitoredFleet;
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

/**
 * The monitor's current view: the same statuses it publishes (masters awaiting their first verdict included), each
 * with the desired and deployed plan of every environment.
 */
@Path("/api/v1/masters")
@RolesAllowed(ApiRoles.READER)
@Produces(MediaType.APPLICATION_JSON)
public class MastersResource {

    @Inject
    MonitoredFleet fleet;

    @GET
    @Operation(summary = "Status of every known master: health, code sync per environment, routability and why")
    public List<MasterDetails> masters() {
        return fleet.views().stream().map(MasterDetails::of).toList();
    }

    @GET
    @Path("{masterId}")
    @Operation(summary = "Status of one master, with its environments' desired and deployed plans")
    public MasterDetails master(@PathParam("masterId") String masterId) {
        return fleet.view(masterId).map(MasterDetails::of)
                .orElseThrow(() -> new NotFoundException("unknown master " + masterId));
    }
}
