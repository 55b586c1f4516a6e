package io.momentum.agent.rest;

import io.momentum.agent.lifecycle.AgentLifecycle;
import io.momentum.agent.lifecycle.AgentStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Read-only view of this agent for operators: identity, life-cycle state, deployed environments. */
@Path("/api/v1/agent")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    @Inject
    AgentLifecycle lifecycle;

    @GET
    @Operation(summary = "This agent's master id, state (JOINING, READY, LEAVING) and deployed environments")
    public AgentStatus status() {
        return lifecycle.status();
    }
}
