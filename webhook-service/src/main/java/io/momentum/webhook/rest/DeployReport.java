package io.momentum.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.momentum.shared.event.DeployRequest;
import io.momentum.webhook.domain.DeployState;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a deploy command.
 *
 * @param requestId the first request
 * @param complete with {@code "wait": true} only: whether every ready master reported in time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "DeployReport")
public record DeployReport(UUID requestId, Boolean complete, List<String> readyMasters,
        List<RequestStatus> requests) {

    /** One request's per-master status, or only its id while this service has not read it back yet. */
    @Schema(name = "RequestStatus", oneOf = {KnownRequest.class, UnknownRequest.class})
    public sealed interface RequestStatus permits KnownRequest, UnknownRequest {
    }

    /** What the service knows of a request: the request and each master's result. */
    @Schema(name = "KnownRequest")
    public record KnownRequest(UUID requestId, DeployRequest request, List<DeployState.MasterResult> results,
            List<String> pendingMasters, boolean complete) implements RequestStatus {

        static KnownRequest of(DeployState.RequestView view) {
            return new KnownRequest(view.requestId(), view.request(), view.results(), view.pendingMasters(),
                    view.complete());
        }
    }

    @Schema(name = "UnknownRequest")
    public record UnknownRequest(UUID requestId) implements RequestStatus {
    }
}
