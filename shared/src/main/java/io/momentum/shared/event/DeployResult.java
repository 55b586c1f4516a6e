package io.momentum.shared.event;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Value of {@code momentum.deploy-results}, keyed {@code <masterId>/<environment>} (see {@link #key()}). */
public record DeployResult(
        @NotNull UUID requestId,
        @NotBlank String masterId,
        @NotBlank @Pattern(regexp = EnvironmentNamePattern.REGEX) String environment,
        @Pattern(regexp = "[0-9a-f]{40}") String commit,
        @NotNull DeployStatus status,
        Instant startedAt,
        @NotNull Instant finishedAt,
        long durationMs,
        @Valid ModuleCounts modules,
        String error) implements Event {

    public String key() {
        return key(masterId, environment);
    }

    public static String key(String masterId, String environment) {
        return masterId + "/" + environment;
    }

    public static DeployResult of(UUID requestId, String masterId, String environment, String commit,
            DeployStatus status, Instant startedAt, Instant finishedAt, ModuleCounts modules, String error) {
        long durationMs = startedAt == null ? 0 : Duration.between(startedAt, finishedAt).toMillis();
        return new DeployResult(requestId, masterId, environment, commit, status, startedAt, finishedAt, durationMs,
                modules, error);
    }
}
