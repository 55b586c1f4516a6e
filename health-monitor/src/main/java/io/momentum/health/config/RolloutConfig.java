package io.momentum.health.config;

import io.momentum.health.domain.StageTimeoutPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How FLEET and CANARY rollouts are coordinated (which rollout a plan gets is the planner's configuration). */
@ConfigMapping(prefix = "momentum.rollout")
public interface RolloutConfig {

    /** How long after a plan was planned the masters a rollout waits for must have staged it. */
    @WithDefault("2m")
    Duration stageTimeout();

    /**
     * {@code proceed}: activate anyway, the late masters are not in sync until they switch; {@code hold}: activate
     * nothing more and show why in {@code GET /api/v1/rollouts}.
     */
    @WithDefault("proceed")
    StageTimeoutPolicy onStageTimeout();

    Canary canary();

    interface Canary {

        /** The masters that switch first; without them the first READY, UP compile master by id. */
        Optional<List<String>> masters();

        /** How long the switched masters' Puppet Servers must stay UP before the next ones switch. */
        @WithDefault("60s")
        Duration soak();

        /** How many more masters switch after each healthy soak. */
        @WithDefault("1")
        int batchSize();
    }
}
