package io.momentum.agent.schedule;

import io.momentum.shared.event.PostDeployOutcome;
import java.util.List;

/**
 * What runs after an environment changed on disk (post-deploy steps). Failures are returned, not thrown: the
 * deploy is live and stays so; the outcomes go into the result.
 */
@FunctionalInterface
public interface AfterDeploy {

    AfterDeploy NOTHING = (environment, purged) -> List.of();

    /** @return one outcome per step that ran, in order */
    List<PostDeployOutcome> run(String environment, boolean purged);
}
