package io.momentum.webhook.rest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/deploys}: named environments or all of them, optionally waiting for every ready
 * master's result.
 */
@Schema(name = "DeployCommand", description = "Give either a non-empty \"environments\" list or \"all\": true")
public record DeployCommand(
        @Schema(description = "environments to deploy")
        List<@EnvironmentName String> environments,
        @Schema(description = "deploy every environment (a full sync)") Boolean all,
        @JsonProperty("wait") @Schema(description = "answer once every ready master reported")
        Boolean awaitResults,
        @Schema(implementation = String.class, description = "how long to wait: seconds, or an ISO-8601 duration"
                + " such as PT2M; capped at momentum.api.max-wait")
        WaitTimeout timeout) {

    @JsonIgnore
    @Schema(hidden = true)
    @AssertTrue(message = "give either a non-empty \"environments\" list or \"all\": true")
    public boolean isEnvironmentsOrAll() {
        return Boolean.TRUE.equals(all) == (environments == null || environments.isEmpty());
    }

    boolean waits() {
        return Boolean.TRUE.equals(awaitResults);
    }
}
