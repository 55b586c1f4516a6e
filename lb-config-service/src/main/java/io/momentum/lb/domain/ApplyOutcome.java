package io.momentum.lb.domain;

import io.momentum.shared.event.LbResult;

/**
 * What one load balancer backend did with a backend set.
 *
 * @param configSha256 digest of the configuration file live after the attempt (null when there is none)
 * @param reloaded whether the load balancer process was reloaded (false for Runtime API changes)
 */
public record ApplyOutcome(LbResult result, String error, String configSha256, boolean reloaded) {

    public static ApplyOutcome applied(String sha256, boolean reloaded) {
        return new ApplyOutcome(LbResult.APPLIED, null, sha256, reloaded);
    }

    public static ApplyOutcome unchanged(String sha256) {
        return new ApplyOutcome(LbResult.UNCHANGED, null, sha256, false);
    }

    public static ApplyOutcome failed(String error, String liveSha256) {
        return new ApplyOutcome(LbResult.FAILED, error, liveSha256, false);
    }
}
