package io.momentum.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a webhook delivery; which fields are set depends on {@code status} (absent: published, 202).
 *
 * @param requestId the first deploy request (published, or of the first copy of a redelivery)
 * @param requests what was published
 * @param skipped refs of the push that deploy nothing, and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "WebhookAnswer", description = "Answer to a git host's webhook delivery")
public record WebhookAnswer(
        @Schema(description = "pong, ignored or duplicate; absent when the delivery was published") String status,
        UUID requestId, String provider, String detail, String reason, String deliveryId, List<UUID> requestIds,
        List<PublishedRequest> requests, List<String> skipped) {

    /** One published deploy request. */
    @Schema(name = "PublishedRequest")
    public record PublishedRequest(UUID requestId, DeployKind kind, String key,
            @JsonInclude(JsonInclude.Include.NON_NULL) String environment,
            @JsonInclude(JsonInclude.Include.NON_NULL) String branch,
            @JsonInclude(JsonInclude.Include.NON_NULL) String module,
            @JsonInclude(JsonInclude.Include.ALWAYS) String commit, boolean deleted) {

        static PublishedRequest of(DeployRequest request) {
            return new PublishedRequest(request.requestId(), request.kind(), request.key(), request.environment(),
                    request.environment() != null ? request.branch() : null, request.module(), request.commit(),
                    request.deleted());
        }
    }
}
