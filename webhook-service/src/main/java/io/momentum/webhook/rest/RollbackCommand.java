package io.momentum.webhook.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The optional body of {@code POST /api/v1/environments/{environment}/rollback}: which plan to re-activate, and
 * whether to wait for every ready master's result as a deploy command can.
 */
@Schema(name = "RollbackCommand", description = "Without \"plan\": the newest kept plan whose digest differs from"
        + " the desired plan's")
public record RollbackCommand(
        @Pattern(regexp = "[0-9a-f]{64}", message = "\"plan\" must be a plan digest: 64 lowercase hex characters")
        @Schema(description = "the digest of the plan to re-activate (GET /api/v1/environments lists them)")
        String plan,
        @JsonProperty("wait") @Schema(description = "answer once every ready master reported")
        Boolean awaitResults,
        @Schema(implementation = String.class, description = "how long to wait: seconds, or an ISO-8601 duration"
                + " such as PT2M; capped at momentum.api.max-wait")
        WaitTimeout timeout) {

    /** No body at all: roll back to the previous plan without waiting. */
    static final RollbackCommand PREVIOUS = new RollbackCommand(null, null, null);

    /**
     * A misspelt {@code "plan"} must not roll back to the previous plan instead of the one meant, as an unknown
     * field ignored would.
     */
    @JsonAnySetter
    void refuseUnknown(String name, Object value) {
        throw new IllegalArgumentException("unknown field \"" + name + "\": give \"plan\", \"wait\" or \"timeout\"");
    }

    Optional<String> digest() {
        return Optional.ofNullable(plan);
    }

    boolean waits() {
        return Boolean.TRUE.equals(awaitResults);
    }
}
