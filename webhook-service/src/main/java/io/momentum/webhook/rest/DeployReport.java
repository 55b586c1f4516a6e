package io.momentum.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.momentum.shared.event.DeployRequest;
import io.momentum.webhook.domain.DeployState;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a deploy command, a rollback or an unpin.
 *
 * @param requestId the first request (a rollback's: the id of the re-activated plan)
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

    /**
     * What the service knows of a request: the request, its plans, each master's result and the rollouts of its
     * FLEET or CANARY plans. A master that only STAGED the plan is still pending. A request whose planning failed,
     * or whose rollout halted, is complete at once with {@code outcome} FAILED and the {@code error}: no master
     * switches to it any more. A result {@code unchanged} found its master at the plan already ("already
     * current"); {@code summary} says so for a request that changed nothing (see
     * {@link DeployState.RequestView#summary}).
     */
    @Schema(name = "KnownRequest")
    public record KnownRequest(UUID requestId, DeployRequest request, List<DeployState.PlanView> plans,
            List<DeployState.MasterResult> results, List<String> pendingMasters, boolean complete,
            DeployState.Outcome outcome, String error, List<DeployState.RolloutView> rollouts, String summary)
            implements RequestStatus {

        static KnownRequest of(DeployState.RequestView view) {
            return new KnownRequest(view.requestId(), view.request(), view.plans(), view.results(),
                    view.pendingMasters(), view.complete(), view.outcome(), view.error(), view.rollouts(),
                    view.summary());
        }
    }

    @Schema(name = "UnknownRequest")
    public record UnknownRequest(UUID requestId) implements RequestStatus {
    }
}
