package io.momentum.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.service.security.ApiRoles;
import io.momentum.shared.source.Source;
import io.momentum.webhook.config.ApiConfig;
import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.PlanChoice;
import io.momentum.webhook.domain.PlanPublisher;
import io.momentum.webhook.messaging.StateReplayer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Manual deploys, rollbacks and the fleet's deploy status, like {@code puppet code deploy} (with {@code --wait}),
 * but per master. Every call needs {@code Authorization: Bearer <token>} (service-support's API tokens): reads the
 * {@value ApiRoles#READER} role, everything else the {@value ApiRoles#DEPLOYER} role (the class's default, so that an
 * endpoint without its own annotation is closed to readers); a refusal is answered by {@link Refusals}.
 */
@Path("/api/v1")
@RolesAllowed(ApiRoles.DEPLOYER)
@Produces(MediaType.APPLICATION_JSON)
public class DeployApiResource {

    private static final Logger LOG = Logger.getLogger(DeployApiResource.class);

    /**
     * The pusher of an unpin's request: a manual request the planner may plan although the environment is pinned,
     * as it plans a push.
     */
    static final String UNPIN = "unpin";

    @Inject
    ApiConfig config;

    @Inject
    WebhookConfig webhook;

    @Inject
    StateReplayer replayer;

    @Inject
    DeployPublisher publisher;

    @Inject
    PlanPublisher plans;

    @Inject
    DeployState state;

    @Inject
    ControlSources sources;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

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
        return answerOnceStored(publisher.publish(requests), "deploy request", "manual deploy " + ids
                + " requested: " + (Boolean.TRUE.equals(command.all()) ? "all environments" : command.environments()),
                ids, command.waits(), timeout(command.timeout()));
    }

    @GET
    @Path("deploys")
    @RolesAllowed(ApiRoles.READER)
    @Operation(summary = "Recent deploy requests, newest first, each as GET /api/v1/deploys/{requestId} shows it")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RecentDeploys.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    public Response recentDeploys(@QueryParam("environment") String environment,
            @QueryParam("limit") @DefaultValue("" + RecentDeploys.DEFAULT_LIMIT) int limit) {
        if (limit < 1 || limit > RecentDeploys.MAX_LIMIT) {
            return Responses.error(400, "limit must be between 1 and " + RecentDeploys.MAX_LIMIT);
        }
        return Responses.json(200, new RecentDeploys(state.recent(Optional.ofNullable(environment)
                .filter(e -> !e.isBlank()), limit).stream().map(DeployReport.KnownRequest::of).toList()));
    }

    @GET
    @Path("deploys/{requestId}")
    @RolesAllowed(ApiRoles.READER)
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
    @RolesAllowed(ApiRoles.READER)
    @Operation(summary = "Environment x master matrix: the desired plan (commit and pinned modules), how far its"
            + " rollout is, the plans a rollback can re-activate, and what each master serves or staged")
    public EnvironmentMatrix environments() {
        return new EnvironmentMatrix(state.readyMasters(), state.environments());
    }

    @POST
    @Path("environments/{environment}/rollback")
    @Operation(summary = "Re-activate an earlier plan on every master and pin the environment to it until the next"
            + " push or an unpin")
    @APIResponse(responseCode = "202", description = "the re-activated plan is stored (and, with wait, not every"
            + " master reported in time)", content = @Content(schema = @Schema(implementation = DeployReport.class)))
    @APIResponse(responseCode = "200", description = "with wait: every ready master reported",
            content = @Content(schema = @Schema(implementation = DeployReport.class)))
    @APIResponse(responseCode = "400", description = "malformed body or digest",
            content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "404", description = "no plan is known for the environment, or not the one named",
            content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "409", description = "nothing to roll back to",
            content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RollbackCommand.class)))
    public Uni<Response> rollback(@PathParam("environment") String environment, byte[] body) throws IOException {
        // Read here rather than by the JSON reader: a POST without a body usually comes without a content type too.
        RollbackCommand command = new String(body, StandardCharsets.UTF_8).isBlank() ? RollbackCommand.PREVIOUS
                : Optional.ofNullable(json.readValue(body, RollbackCommand.class)).orElse(RollbackCommand.PREVIOUS);
        Set<ConstraintViolation<RollbackCommand>> violations = validator.validate(command);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return onCurrentState("rollback", () -> {
            PlanChoice choice = state.rollbackTarget(environment, command.digest());
            if (!(choice instanceof PlanChoice.Chosen chosen)) {
                return Uni.createFrom().item(refusal(choice));
            }
            DeployPlan plan = chosen.plan().reactivated(UUID.randomUUID(), Clock.systemUTC().instant());
            return answerOnceStored(plans.publish(plan), "rollback", "rollback " + plan.requestId() + " of "
                    + environment + " to plan " + plan.digest() + " (commit " + plan.commit() + ") requested",
                    Set.of(plan.requestId()), command.waits(), timeout(command.timeout()));
        });
    }

    @DELETE
    @Path("environments/{environment}/pin")
    @Operation(summary = "End a rollback's pin: plan the environment's branch head again")
    @APIResponse(responseCode = "202", description = "the deploy request for the branch head is stored",
            content = @Content(schema = @Schema(implementation = DeployReport.class)))
    @APIResponse(responseCode = "404", description = "no plan is known for the environment",
            content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "409", description = "the environment is not pinned, or its source no longer"
            + " deploys its branch there", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    public Uni<Response> unpin(@PathParam("environment") String environment) {
        return onCurrentState("unpin request", () -> {
            PlanChoice choice = state.pinnedPlan(environment);
            if (!(choice instanceof PlanChoice.Chosen chosen)) {
                return Uni.createFrom().item(refusal(choice));
            }
            DeployPlan pinned = chosen.plan();
            Optional<Source> source = Optional.ofNullable(pinned.source()).flatMap(sources::named)
                    .filter(s -> ControlSources.deploysTo(s, pinned.branch(), environment));
            if (source.isEmpty()) {
                return Uni.createFrom().item(Responses.error(409, "cannot unpin environment " + environment
                        + ": source " + pinned.source() + " no longer deploys branch " + pinned.branch() + " there"));
            }
            // The branch head, not the pinned commit: the planner resolves it, as for a push.
            DeployRequest request = new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, environment,
                    pinned.branch(), source.get().name(), source.get().remote(), null, false, null, Provider.MANUAL,
                    null, UNPIN, Clock.systemUTC().instant());
            return answerOnceStored(publisher.publish(List.of(request)), "unpin request", "unpin "
                    + request.requestId() + " of " + environment + " requested: branch " + pinned.branch()
                    + " of source " + source.get().name(), Set.of(request.requestId()), false, config.defaultWait());
        });
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

    /** A body this class reads itself (a rollback's, which may be absent): anything Jackson could not read. */
    @ServerExceptionMapper
    Response malformed(JsonProcessingException e) {
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

    /**
     * 503 unless the broker stored what was published; then 202, or with {@code waits} the per-master results:
     * 200 once every ready master reported, 202 when {@code timeout} ran out first.
     *
     * @param what names what could not be stored in the 503
     * @param requested logged once stored
     */
    private Uni<Response> answerOnceStored(CompletionStage<Void> stored, String what, String requested,
            Set<UUID> ids, boolean waits, Duration timeout) {
        CompletableFuture<Response> answer = stored.toCompletableFuture()
                .handle((ok, failure) -> failure)
                .thenCompose(failure -> {
                    if (failure != null) {
                        LOG.errorf("%s could not be stored in Kafka: %s", what, failure.getMessage());
                        return CompletableFuture.completedFuture(
                                Responses.error(503, "the " + what + " could not be stored; retry"));
                    }
                    LOG.info(requested);
                    if (!waits) {
                        return CompletableFuture.completedFuture(report(202, ids, null));
                    }
                    return state.awaitResults(ids)
                            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .handle((done, late) -> late == null ? report(200, ids, true) : report(202, ids, false));
                });
        return Uni.createFrom().completionStage(answer);
    }

    /**
     * Takes a decision on the deploy state (which plan to roll back to, which pin to end) only once the state holds
     * every record on the topics as of now: right after a broker outage the reader may lag the masters by a second,
     * and "the previous plan" judged on a lagging view is one too far back. 503 when Kafka cannot tell in time.
     */
    private Uni<Response> onCurrentState(String what, Supplier<Uni<Response>> decision) {
        CompletableFuture<Void> read = replayer.readUpToNow()
                .orTimeout(webhook.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return Uni.createFrom().completionStage(read)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().transformToUni((done, failure) -> {
                    if (failure == null) {
                        return decision.get();
                    }
                    LOG.errorf("%s refused: the deploy state could not be read up to date from Kafka: %s", what,
                            failure.toString());
                    return Uni.createFrom().item(Responses.error(503, "the " + what + " was not made: the deploy"
                            + " state could not be read up to date from Kafka; nothing was published; retry"));
                });
    }

    private static Response refusal(PlanChoice choice) {
        if (choice instanceof PlanChoice.Unknown unknown) {
            return Responses.error(404, unknown.reason());
        }
        return Responses.error(409, ((PlanChoice.Refused) choice).reason());
    }

    /** Capped at the configured maximum; the configured default when the command names none. */
    private Duration timeout(WaitTimeout timeout) {
        Duration wanted = Optional.ofNullable(timeout).map(WaitTimeout::duration).orElse(config.defaultWait());
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
