package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;

/**
 * Value of {@code momentum.deploy-requests}, keyed {@code env:<environment>} or {@code module:<name>}
 * (see {@link #key()}).
 *
 * @param commit the 40-hex commit the branch points at, or {@code null} when the sender does not know it
 * @param environment the target environment (ENVIRONMENT), or {@code null} for MODULE and FULL_SYNC
 * @param module the module name (MODULE only)
 */
public record DeployRequest(
        @NotNull UUID requestId,
        @NotNull DeployKind kind,
        @Pattern(regexp = EnvironmentNamePattern.REGEX) String environment,
        String branch,
        String source,
        String repositoryUrl,
        @Pattern(regexp = "[0-9a-f]{40}") String commit,
        boolean deleted,
        @Pattern(regexp = "[a-z][a-z0-9_]*") String module,
        @NotNull Provider provider,
        String deliveryId,
        String pusher,
        @NotNull Instant requestedAt) implements Event {

    public static final String ENVIRONMENT_KEY_PREFIX = "env:";
    public static final String MODULE_KEY_PREFIX = "module:";
    /** Key of FULL_SYNC requests: the latest one is all that matters. */
    public static final String FULL_SYNC_KEY = "full-sync";

    /** The Kafka record key this request must be published under. */
    public String key() {
        return switch (kind) {
            case ENVIRONMENT -> ENVIRONMENT_KEY_PREFIX + environment;
            case MODULE -> MODULE_KEY_PREFIX + module;
            case FULL_SYNC -> FULL_SYNC_KEY;
        };
    }

    public static DeployRequest environment(String environment, String branch, String source,
            String repositoryUrl, String commit, Provider provider, Instant requestedAt) {
        return new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, environment, branch, source,
                repositoryUrl, commit, false, null, provider, null, null, requestedAt);
    }

    public static DeployRequest module(String module, String repositoryUrl, String commit, Provider provider,
            Instant requestedAt) {
        return new DeployRequest(UUID.randomUUID(), DeployKind.MODULE, null, null, null, repositoryUrl, commit,
                false, module, provider, null, null, requestedAt);
    }

    public static DeployRequest fullSync(Provider provider, Instant requestedAt) {
        return new DeployRequest(UUID.randomUUID(), DeployKind.FULL_SYNC, null, null, null, null, null, false,
                null, provider, null, null, requestedAt);
    }

    public DeployRequest withDeleted(boolean deleted) {
        return new DeployRequest(requestId, kind, environment, branch, source, repositoryUrl, commit, deleted,
                module, provider, deliveryId, pusher, requestedAt);
    }

    public DeployRequest withDelivery(String deliveryId, String pusher) {
        return new DeployRequest(requestId, kind, environment, branch, source, repositoryUrl, commit, deleted,
                module, provider, deliveryId, pusher, requestedAt);
    }

    public DeployRequest withRequestId(UUID requestId) {
        return new DeployRequest(requestId, kind, environment, branch, source, repositoryUrl, commit, deleted,
                module, provider, deliveryId, pusher, requestedAt);
    }
}
