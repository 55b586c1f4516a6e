package io.momentum.shared.event;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Value of {@code momentum.deploy-plans}, keyed {@code env:<environment>} (see {@link #key()}): a deploy request
 * resolved once, centrally, into exactly what every master must serve. The latest plan per environment is the
 * environment's desired state; masters deploy the plan and never resolve a ref themselves.
 *
 * @param requestId the deploy request this plan answers; results of deploying it carry the same id
 * @param digest SHA-256 (hex) of the commit and the pinned modules ({@link #digestOf}); {@code null} unless PLANNED
 * @param source the control-repository source's name (momentum.sources)
 * @param commit the control-repository commit (PLANNED); the commit that failed to plan, when known (FAILED)
 * @param modules every Puppetfile module, pinned, in Puppetfile order (PLANNED only)
 * @param pinned a rollback: the planner plans nothing else for this environment until a push or an unpin
 * @param error why planning failed (FAILED only)
 */
public record DeployPlan(
        @NotNull UUID requestId,
        @NotNull @Pattern(regexp = EnvironmentNamePattern.REGEX) String environment,
        @NotNull PlanStatus status,
        @Pattern(regexp = "[0-9a-f]{64}") String digest,
        String source,
        String branch,
        @Pattern(regexp = "[0-9a-f]{40}") String commit,
        List<@Valid PlannedModule> modules,
        Rollout rollout,
        boolean pinned,
        String error,
        @NotNull Instant plannedAt) implements Event {

    public static final String KEY_PREFIX = "env:";

    public DeployPlan {
        modules = modules == null ? List.of() : List.copyOf(modules);
        rollout = rollout == null ? Rollout.IMMEDIATE : rollout;
    }

    /** A plan to deploy: its digest is computed from the commit and the modules. */
    public static DeployPlan planned(UUID requestId, String environment, String source, String branch,
            String commit, List<PlannedModule> modules, Rollout rollout, Instant plannedAt) {
        return new DeployPlan(requestId, environment, PlanStatus.PLANNED, digestOf(commit, modules), source, branch,
                commit, modules, rollout, false, null, plannedAt);
    }

    /** Planning failed: the masters keep serving what they serve. */
    public static DeployPlan failed(UUID requestId, String environment, String source, String branch, String commit,
            String error, Instant plannedAt) {
        return new DeployPlan(requestId, environment, PlanStatus.FAILED, null, source, branch, commit, List.of(),
                null, false, error, plannedAt);
    }

    /** The environment must go: its branch was deleted or no rule deploys it any more. */
    public static DeployPlan absent(UUID requestId, String environment, String source, String branch,
            Instant plannedAt) {
        return new DeployPlan(requestId, environment, PlanStatus.ABSENT, null, source, branch, null, List.of(), null,
                false, null, plannedAt);
    }

    /** This plan again under another request, pinned: how a rollback re-activates it. */
    public DeployPlan reactivated(UUID newRequestId, Instant at) {
        return new DeployPlan(newRequestId, environment, status, digest, source, branch, commit, modules, rollout,
                true, error, at);
    }

    public String key() {
        return key(environment);
    }

    public static String key(String environment) {
        return KEY_PREFIX + environment;
    }

    /**
     * The digest that names a plan's content: SHA-256 over the control commit and every module's pinned fields in
     * Puppetfile order. Equal digests mean the same files in the environment (apart from its own metadata).
     */
    public static String digestOf(String commit, List<PlannedModule> modules) {
        StringBuilder canonical = new StringBuilder("momentum-plan-v1\n").append(commit).append('\n');
        modules.forEach(m -> canonical.append(m.canonical()).append('\n'));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
