package io.momentum.agent.schedule;

import io.momentum.agent.deployer.EnvironmentTarget;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of work on one environment, on behalf of one request; {@code done} completes once its result is stored
 * (exceptionally when it must be redelivered).
 */
record Job(UUID requestId, Action action, String environment, EnvironmentTarget target, String module,
        String commit, CompletableFuture<Void> done) {

    enum Action {
        DEPLOY,
        MODULE,
        PURGE
    }

    /** Jobs with the same key in the same environment coalesce: only the newest one runs. */
    String coalescingKey() {
        return action == Action.MODULE ? "module:" + module : "environment";
    }
}
