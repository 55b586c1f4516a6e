package io.momentum.agent.deployer;

import io.momentum.shared.event.ModuleCounts;

/**
 * What a deploy did.
 *
 * @param commit the control-repository commit now live
 * @param unchanged the plan was already live: nothing was written
 * @param planDigest the digest of the plan now live, or {@code null} for a backend that cannot pin modules (r10k,
 *     g10k: what they deploy is not exactly the plan)
 */
public record DeployOutcome(String environment, String commit, ModuleCounts modules, boolean unchanged,
        String planDigest) {
}
