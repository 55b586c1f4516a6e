package io.momentum.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.config.ApiConfig;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Manual deploys and the fleet's deploy status, like {@code puppet code deploy} (with {@code --wait}), but per
 * master. Every call needs {@code Authorization: Bearer <momentum.api.token>} ({@link Authentication}).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DeployApiResource {

    private static final Logger LOG = Logger.getLogger(DeployApiResource.class);

    @Inject
    ApiConfig config;

    @Inject
    DeployPublisher publisher;

    @Inject
    DeployState state;

    @Inject
    ControlSources sources;

    @POST
    @Path("deploys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deploy named environments or all of them; with \"wait\": true answer with per-master results")
    @APIResponse(responseCode = "202", description = "stored (and, with wait, not every master reported in time)",
            content = @Content(schema = @Schema(implementation = DeployReport.class)))
    @APIResponse(responseCode = "200", description = "with wait: every ready master reported",
            content = @Content(schema = @Schema(implementation = DeployReport.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    public Uni<Response> deploy(@Valid @NotNull(message = "body must be a JSON object with \"environments\" or"
            + " \"all\"") DeployCommand command) {
        List<String> refused = new ArrayList<>();
        List<DeployRequest> requests = requests(command, refused);
        if (!refused.isEmpty()) {
            return Uni.createFrom().item(Responses.error(400, String.join("; ", refused)));
        }
        Set<UUID> ids = new LinkedHashSet<>();
        requests.forEach(r -> ids.add(r.requestId()));
        Duration timeout = timeout(command);
        CompletableFuture<Response> answer = publisher.publish(requests).toCompletableFuture()
                .handle((ok, failure) -> failure)
                .thenCompose(failure -> {
                    if (failure != null) {
                        LOG.errorf("manual deploy could not be stored in Kafka: %s", failure.getMessage());
                        return CompletableFuture.completedFuture(
                                Responses.error(503, "the deploy request could not be stored; retry"));
                    }
                    LOG.infof("manual deploy %s requested: %s", ids,
                            Boolean.TRUE.equals(command.all()) ? "all environments" : command.environments());
                    if (!command.waits()) {
                        return CompletableFuture.completedFuture(report(202, ids, null));
                    }
                    return state.awaitResults(ids)
                            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .handle((done, late) -> late == null ? report(200, ids, true) : report(202, ids, false));
                });
        return Uni.createFrom().completionStage(answer);
    }

    @GET
    @Path("deploys/{requestId}")
    @Operation(summary = "Per-master status of one deploy request")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(implementation = DeployReport.KnownRequest.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    public Response deployStatus(@PathParam("requestId") String requestId) {
        UUID id;
        try {
            id = UUID.fromString(requestId);
        } catch (IllegalArgumentException e) {
            return Responses.error(400, "requestId must be a UUID");
        }
        return state.request(id).map(view -> Responses.json(200, DeployReport.KnownRequest.of(view)))
                .orElseGet(() -> Responses.error(404, "no deploy request " + id + " is known"));
    }

    @GET
    @Path("environments")
    @Operation(summary = "Environment x master matrix: desired commit, deployed commit and status")
    public EnvironmentMatrix environments() {
        return new EnvironmentMatrix(state.readyMasters(), state.environments());
    }

    /** The JSON reader wraps a body that is no JSON, or a value it cannot build, in a bare 400. */
    @ServerExceptionMapper
    Response unreadable(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException json ? unreadable(json) : e.getResponse();
    }

    /** A value of the wrong kind, such as a string where a list belongs. */
    @ServerExceptionMapper
    Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    private static Response unreadable(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException wrong) {
            return Responses.error(400, wrong.getMessage());
        }
        return Responses.error(400, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    Response invalid(ConstraintViolationException e) {
        return Responses.error(400, e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ConstraintViolation::getMessage).collect(Collectors.joining("; ")));
    }

    /** Capped at the configured maximum; the configured default when the command names none. */
    private Duration timeout(DeployCommand command) {
        Duration wanted = Optional.ofNullable(command.timeout()).map(WaitTimeout::duration)
                .orElse(config.defaultWait());
        return wanted.compareTo(config.maxWait()) > 0 ? config.maxWait() : wanted;
    }

    /** @param refused collects why a named environment is deployed by no source */
    private List<DeployRequest> requests(DeployCommand command, List<String> refused) {
        var now = Clock.systemUTC().instant();
        if (Boolean.TRUE.equals(command.all())) {
            return List.of(DeployRequest.fullSync(Provider.MANUAL, now).withDelivery(null, "api"));
        }
        List<DeployRequest> requests = new ArrayList<>();
        for (String environment : new LinkedHashSet<>(command.environments())) {
            // The branch and source the environment came from, as the agents' rules (momentum.sources.*) see it.
            Optional<DeployRequest> known = state.desired(environment);
            ControlSources.Origin origin = sources.originOf(environment, known);
            if (origin instanceof ControlSources.Origin.Nowhere nowhere) {
                refused.add(nowhere.reason());
                continue;
            }
            ControlSources.Origin.Branch branch = (ControlSources.Origin.Branch) origin;
            requests.add(new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, environment, branch.branch(),
                    branch.source().name(), branch.source().remote(), null, false, null, Provider.MANUAL, null, "api",
                    now));
        }
        return requests;
    }

    private Response report(int status, Set<UUID> ids, Boolean complete) {
        List<DeployReport.RequestStatus> views = new ArrayList<>();
        for (UUID id : ids) {
            views.add(state.request(id).<DeployReport.RequestStatus>map(DeployReport.KnownRequest::of)
                    .orElseGet(() -> new DeployReport.UnknownRequest(id)));
        }
        return Responses.json(status, new DeployReport(ids.iterator().next(), complete, state.readyMasters(), views));
    }
}
