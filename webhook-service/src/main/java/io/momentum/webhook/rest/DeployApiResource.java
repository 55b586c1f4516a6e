package io.momentum.webhook.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.json.EventCodec;
import io.momentum.webhook.config.ApiConfig;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.HttpAuth;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Manual deploys and the fleet's deploy status, like {@code puppet code deploy} (with {@code --wait}), but per
 * master. Every call needs {@code Authorization: Bearer <momentum.api.token>}.
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

    /** A parsed, valid deploy command. */
    record Command(List<String> environments, boolean all, boolean awaitResults, Duration timeout) {
    }

    @POST
    @Path("deploys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deploy named environments or all of them; with \"wait\": true answer with per-master results")
    public Uni<Response> deploy(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<Response> denied = deny(authorization);
        if (denied.isPresent()) {
            return Uni.createFrom().item(denied.get());
        }
        Command command;
        try {
            command = parse(body);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Responses.error(400, e.getMessage()));
        }
        List<DeployRequest> requests = requests(command);
        Set<UUID> ids = new LinkedHashSet<>();
        requests.forEach(r -> ids.add(r.requestId()));
        CompletableFuture<Response> answer = publisher.publish(requests).toCompletableFuture()
                .handle((ok, failure) -> failure)
                .thenCompose(failure -> {
                    if (failure != null) {
                        LOG.errorf("manual deploy could not be stored in Kafka: %s", failure.getMessage());
                        return CompletableFuture.completedFuture(
                                Responses.error(503, "the deploy request could not be stored; retry"));
                    }
                    LOG.infof("manual deploy %s requested: %s", ids,
                            command.all() ? "all environments" : command.environments());
                    if (!command.awaitResults()) {
                        return CompletableFuture.completedFuture(report(202, ids, null));
                    }
                    return state.awaitResults(ids)
                            .orTimeout(command.timeout().toMillis(), TimeUnit.MILLISECONDS)
                            .handle((done, timeout) -> timeout == null ? report(200, ids, true)
                                    : report(202, ids, false));
                });
        return Uni.createFrom().completionStage(answer);
    }

    @GET
    @Path("deploys/{requestId}")
    @Operation(summary = "Per-master status of one deploy request")
    public Response deployStatus(@PathParam("requestId") String requestId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<Response> denied = deny(authorization);
        if (denied.isPresent()) {
            return denied.get();
        }
        UUID id;
        try {
            id = UUID.fromString(requestId);
        } catch (IllegalArgumentException e) {
            return Responses.error(400, "requestId must be a UUID");
        }
        return state.request(id).map(view -> Response.ok(view).build())
                .orElseGet(() -> Responses.error(404, "no deploy request " + id + " is known"));
    }

    @GET
    @Path("environments")
    @Operation(summary = "Environment x master matrix: desired commit, deployed commit and status")
    public Response environments(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<Response> denied = deny(authorization);
        if (denied.isPresent()) {
            return denied.get();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("readyMasters", state.readyMasters());
        body.put("environments", state.environments());
        return Response.ok(body).build();
    }

    private Optional<Response> deny(String authorization) {
        Optional<String> token = config.token().filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            return Optional.of(Responses.unauthorized("the deploy API is disabled: momentum.api.token is not set"));
        }
        return HttpAuth.bearer(token).permits(Optional.ofNullable(authorization)) ? Optional.empty()
                : Optional.of(Responses.unauthorized("a valid bearer token is required"));
    }

    Command parse(byte[] body) {
        JsonNode json;
        try {
            json = EventCodec.mapper().readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object with \"environments\" or \"all\"");
        }
        boolean all = json.path("all").asBoolean(false);
        JsonNode names = json.get("environments");
        List<String> environments = new ArrayList<>();
        if (names != null && !names.isNull()) {
            if (!names.isArray()) {
                throw new IllegalArgumentException("\"environments\" must be an array of environment names");
            }
            for (JsonNode name : names) {
                if (!name.isTextual()) {
                    throw new IllegalArgumentException("\"environments\" must hold strings");
                }
                try {
                    environments.add(EnvironmentNames.requireValid(name.asText()));
                } catch (InvalidNameException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            }
        }
        if (all == !environments.isEmpty()) {
            throw new IllegalArgumentException("give either a non-empty \"environments\" list or \"all\": true");
        }
        return new Command(List.copyOf(new LinkedHashSet<>(environments)), all, json.path("wait").asBoolean(false),
                timeout(json.get("timeout")));
    }

    /** {@code "timeout"}: seconds, or an ISO-8601 duration such as {@code PT2M}; capped at the configured max. */
    private Duration timeout(JsonNode value) {
        Duration wanted;
        if (value == null || value.isNull()) {
            wanted = config.defaultWait();
        } else if (value.isNumber()) {
            wanted = Duration.ofMillis((long) (value.asDouble() * 1000));
        } else {
            try {
                wanted = Duration.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"timeout\" must be seconds or an ISO-8601 duration (PT2M)");
            }
        }
        if (wanted.isNegative() || wanted.isZero()) {
            throw new IllegalArgumentException("\"timeout\" must be positive");
        }
        return wanted.compareTo(config.maxWait()) > 0 ? config.maxWait() : wanted;
    }

    private List<DeployRequest> requests(Command command) {
        var now = Clock.systemUTC().instant();
        if (command.all()) {
            return List.of(DeployRequest.fullSync(Provider.MANUAL, now).withDelivery(null, "api"));
        }
        List<DeployRequest> requests = new ArrayList<>();
        for (String environment : command.environments()) {
            // Repeat the branch and source the environment came from; an unknown one is taken as its own branch.
            Optional<DeployRequest> known = state.desired(environment);
            requests.add(new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, environment,
                    known.map(DeployRequest::branch).orElse(environment),
                    known.map(DeployRequest::source).orElse(null),
                    known.map(DeployRequest::repositoryUrl).orElse(null), null, false, null, Provider.MANUAL, null,
                    "api", now));
        }
        return requests;
    }

    private Response report(int status, Set<UUID> ids, Boolean complete) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", ids.iterator().next());
        if (complete != null) {
            body.put("complete", complete);
        }
        body.put("readyMasters", state.readyMasters());
        List<Object> views = new ArrayList<>();
        for (UUID id : ids) {
            views.add(state.request(id).<Object>map(v -> v).orElse(Map.of("requestId", id)));
        }
        body.put("requests", views);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
