package io.momentum.shared.event;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Value of {@code momentum.deploy-results}, keyed {@code <masterId>/<environment>} (see {@link #key()}).
 *
 * @param postDeploy what each post-deploy step did after the deploy (empty when none ran)
 * @param planDigest the digest of the {@link DeployPlan} deployed, or {@code null} for a result that deployed no plan
 *     (a refusal, or a backend that resolves refs itself)
 * @param unchanged SUCCEEDED only: the master was at the plan already and changed nothing (a request that planned
 *     the same content again); absent (false) in results written before the field existed
 */
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
        String error,
        List<@Valid PostDeployOutcome> postDeploy,
        @Pattern(regexp = "[0-9a-f]{64}") String planDigest,
        boolean unchanged) implements Event {

    public DeployResult {
        postDeploy = postDeploy == null ? List.of() : List.copyOf(postDeploy);
    }

    /** A result without post-deploy steps. */
    public DeployResult(UUID requestId, String masterId, String environment, String commit, DeployStatus status,
            Instant startedAt, Instant finishedAt, long durationMs, ModuleCounts modules, String error) {
        this(requestId, masterId, environment, commit, status, startedAt, finishedAt, durationMs, modules, error,
                List.of(), null, false);
    }

    /** This result with the outcomes of the post-deploy steps that ran after it. */
    public DeployResult withPostDeploy(List<PostDeployOutcome> outcomes) {
        return new DeployResult(requestId, masterId, environment, commit, status, startedAt, finishedAt, durationMs,
                modules, error, outcomes, planDigest, unchanged);
    }

    /** This result as the deploy of the plan with this digest. */
    public DeployResult withPlanDigest(String digest) {
        return new DeployResult(requestId, masterId, environment, commit, status, startedAt, finishedAt, durationMs,
                modules, error, postDeploy, digest, unchanged);
    }

    /** This result as one that found the master at the plan already: nothing was deployed. */
    public DeployResult asUnchanged() {
        return new DeployResult(requestId, masterId, environment, commit, status, startedAt, finishedAt, durationMs,
                modules, error, postDeploy, planDigest, true);
    }

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
