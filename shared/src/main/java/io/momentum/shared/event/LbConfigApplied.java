package io.momentum.shared.event;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;

/**
 * Value of {@code momentum.lb-changes}, keyed by {@code lbId}: the audit trail of every attempt to change a
 * load balancer.
 *
 * @param backend which load balancer implementation made the attempt (nginx, haproxy)
 * @param configSha256 digest of the configuration live after the attempt
 */
public record LbConfigApplied(
        @NotBlank String lbId,
        @NotBlank String backend,
        long revision,
        @NotNull List<@Valid LbBackend> backends,
        @NotNull LbResult result,
        String error,
        String configSha256,
        @NotNull Instant appliedAt) implements Event {

    public LbConfigApplied {
        backends = backends == null ? List.of() : List.copyOf(backends);
    }
}
