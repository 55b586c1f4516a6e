package io.momentum.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.service.security.ApiRoles;
import io.momentum.shared.event.MasterStatus;
import io.momentum.webhook.domain.LoadBalancerChanges;
import io.momentum.webhook.domain.MasterStatuses;
import io.momentum.webhook.messaging.LiveEvents;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the operators' tools (the {@code momentum} command line, the console) read besides the deploy API: the
 * health monitor's verdict on each master, what each load balancer serves and its change log, and a live stream of
 * the fleet's events. Same bearer token as the rest of {@code /api/v1}.
 */
@Path("/api/v1")
@RolesAllowed(ApiRoles.READER)
public class FleetViewResource {

    /** Keeps idle connections open through proxies that close silent ones. */
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    /** Events a slow reader may fall behind by before its stream is ended (it reconnects and reads the state). */
    static final int STREAM_BUFFER = 1024;

    @Inject
    MasterStatuses statuses;

    @Inject
    LoadBalancerChanges loadBalancers;

    @Inject
    LiveEvents live;

    @Inject
    ObjectMapper json;

    @Context
    Sse sse;

    public record Masters(List<MasterStatus> masters) {
    }

    public record LoadBalancers(List<LoadBalancerChanges.LoadBalancerLog> loadBalancers) {
    }

    @GET
    @Path("masters")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The health monitor's latest status of each master (health, in sync, routable, reason)")
    public Masters masters() {
        return new Masters(statuses.all());
    }

    @GET
    @Path("load-balancers")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Per load balancer: its latest applied change (the serving set) and its recent changes")
    public LoadBalancers loadBalancers() {
        return new LoadBalancers(loadBalancers.all());
    }

    /**
     * Server-sent events: {@code event: <kind>} and {@code data: <the event as JSON>} for every record read after
     * the connection opened; a {@code : connected} comment once listening, {@code : keepalive} every 15 s.
     */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live stream of deploy requests, plans, rollouts, results, master status and load"
            + " balancer changes (server-sent events)")
    public Multi<OutboundSseEvent> events() {
        Multi<OutboundSseEvent> events = Multi.createFrom().<LiveEvents.LiveEvent>emitter(emitter -> {
            Runnable stop = live.listen(emitter::emit);
            emitter.onTermination(stop);
        }, BackPressureStrategy.ERROR).onOverflow().buffer(STREAM_BUFFER).map(this::event);
        Multi<OutboundSseEvent> keepalive = Multi.createFrom().ticks().every(KEEPALIVE)
                .map(tick -> comment("keepalive"));
        // The events are listened to before the first comment goes out: whatever happens after it is streamed.
        return Multi.createBy().merging().streams(events, Multi.createFrom().item(comment("connected")), keepalive);
    }

    private OutboundSseEvent event(LiveEvents.LiveEvent event) {
        try {
            return sse.newEventBuilder().name(event.kind())
                    .data(json.writeValueAsString(event.event())).build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OutboundSseEvent comment(String text) {
        return sse.newEventBuilder().comment(text).build();
    }
}
