package io.momentum.agent.schedule;

import java.util.List;

/**
 * What runs after an environment changed on disk (post-deploy steps). Failures are returned, not thrown: the
 * deploy is live and stays so; the messages go into the result.
 */
@FunctionalInterface
public interface AfterDeploy {

    AfterDeploy NOTHING = (environment, purged) -> List.of();

    /** @return one message per step that failed, empty when all succeeded */
    List<String> run(String environment, boolean purged);
}
