package io.momentum.agent.lifecycle;

import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What an operator asks an agent: who it is, where it is in its life, and what is deployed.
 *
 * @param environments environment -> deployed control-repository commit
 * @param deploying environments with a deploy running now
 * @param consuming whether the agent follows the plans topic (from start until LEAVING)
 * @param reason why a JOINING master is not READY yet (a control repository cannot be fetched, and why); null
 *     when nothing holds it back
 */
public record AgentStatus(String masterId, MasterRole role, MasterState state, String reason, String puppetServerUrl,
        String lbAddress, String backend, String agentVersion, Instant startedAt, boolean consuming,
        Set<String> deploying, Map<String, String> environments, java.util.List<String> postDeploySteps) {
}
