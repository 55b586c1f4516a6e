package io.momentum.agent.deployer;

import io.momentum.shared.event.ModuleCounts;

/**
 * What a deploy did.
 *
 * @param commit the control-repository commit now live
 * @param unchanged the commit and Puppetfile were already live: nothing was written
 */
public record DeployOutcome(String environment, String commit, ModuleCounts modules, boolean unchanged) {
}
