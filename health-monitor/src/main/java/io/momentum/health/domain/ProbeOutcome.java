package io.momentum.health.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of one probe of one Puppet Server.
 *
 * @param reason why the probe failed, or {@code null} when it succeeded
 * @param latencyMs how long the probe took, or {@code null} when it never got an answer
 */
public record ProbeOutcome(boolean healthy, String reason, Long latencyMs, Instant checkedAt) {

    public ProbeOutcome {
        Objects.requireNonNull(checkedAt, "checkedAt");
        if (!healthy && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a failed probe needs a reason");
        }
    }

    public static ProbeOutcome healthy(long latencyMs, Instant checkedAt) {
        return new ProbeOutcome(true, null, latencyMs, checkedAt);
    }

    public static ProbeOutcome unhealthy(String reason, Long latencyMs, Instant checkedAt) {
        return new ProbeOutcome(false, reason, latencyMs, checkedAt);
    }
}
