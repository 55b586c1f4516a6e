package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;

/**
 * Value of {@code momentum.master-status}, keyed by {@code masterId}: what the load balancer must do with a master.
 *
 * @param role MOM or COMPILE, so a load balancer can leave the MoM out of the compile pool ({@code momentum.lb.mom-compiles=false})
 * @param draining the master is leaving: no new connections, existing ones may finish (addition to SPEC.md)
 */
public record MasterStatus(
        @NotBlank @Pattern(regexp = MasterIdPattern.REGEX) String masterId,
        MasterRole role,
        String lbAddress,
        @NotNull Health health,
        boolean inSync,
        List<String> laggingEnvironments,
        boolean routable,
        boolean draining,
        String reason,
        int consecutiveFailures,
        Long latencyMs,
        @NotNull Instant checkedAt) implements Event {

    public MasterStatus {
        laggingEnvironments = laggingEnvironments == null ? List.of() : List.copyOf(laggingEnvironments);
    }
}
