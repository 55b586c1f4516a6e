package io.momentum.webhook.rest;

import io.momentum.webhook.provider.WebhookHeaders;
import io.momentum.webhook.security.WebhookCallers;
import io.momentum.webhook.service.WebhookIntake;
import io.quarkus.vertx.http.security.AuthorizationPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The git hosts' webhook endpoints. The raw body is taken as bytes (signatures cover exactly those bytes) and the
 * answer is produced asynchronously, so an HTTP thread never waits for Kafka, let alone for a deploy. The body
 * limit ({@code quarkus.http.limits.max-body-size}) answers 413 before the body is read; media types other than
 * JSON and GitHub/Gitea's form encoding get 415. Who may call is {@link WebhookCallers}' decision (open unless
 * {@code momentum.webhook.auth.*} is set), taken before the body is read; a refusal is answered by {@link Refusals}.
 */
@Path("/")
@AuthorizationPolicy(name = WebhookCallers.NAME)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    WebhookIntake intake;

    @POST
    @Path("payload")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
    @Operation(summary = "Push webhook of a control repository: deploys the pushed branches' environments")
    @APIResponse(responseCode = "202", description = "published: the broker has the deploy requests",
            content = @Content(schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "200", description = "ping, ignored event or ref, or redelivery",
            content = @Content(schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "401", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    public CompletionStage<Response> payload(byte[] body, @Context HttpHeaders headers) {
        return receive(WebhookIntake.Target.ENVIRONMENTS, body, headers, Optional.empty());
    }

    @POST
    @Path("module")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
    @Operation(summary = "Push webhook of a module repository: redeploys that module wherever it is used")
    @APIResponse(responseCode = "202", description = "published: the broker has the deploy requests",
            content = @Content(schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "200", description = "ping, ignored event or ref, or redelivery",
            content = @Content(schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "401", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ErrorAnswer.class)))
    public CompletionStage<Response> module(byte[] body, @Context HttpHeaders headers,
            @RestQuery("module_name") String moduleName) {
        return receive(WebhookIntake.Target.MODULE, body, headers,
                Optional.ofNullable(moduleName).filter(m -> !m.isBlank()));
    }

    private CompletionStage<Response> receive(WebhookIntake.Target target, byte[] body, HttpHeaders headers,
            Optional<String> moduleName) {
        Map<String, String> flat = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                flat.put(name, values.get(0));
            }
        });
        MediaType type = headers.getMediaType();
        boolean form = type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        WebhookIntake.Delivery delivery = new WebhookIntake.Delivery(target, WebhookHeaders.of(flat),
                body == null ? new byte[0] : body, form, moduleName);
        return intake.receive(delivery).thenApply(Responses::of);
    }
}
