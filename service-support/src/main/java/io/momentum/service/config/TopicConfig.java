package io.momentum.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a service creates the SPEC topics at start-up when they are missing. */
@ConfigMapping(prefix = "momentum.topics")
public interface TopicConfig {

    /** Create missing topics at start-up. Turn off where topics are managed elsewhere (for example by GitOps). */
    @WithDefault("true")
    boolean provision();

    @WithDefault("3")
    int partitions();

    /** 1 fits one local broker; production uses 3. */
    @WithDefault("1")
    short replicationFactor();

    /** 1 fits one local broker; production uses 2. */
    @WithDefault("1")
    int minInsyncReplicas();

    @WithDefault("P7D")
    Duration lbChangesRetention();

    /**
     * How long superseded plans stay on {@code momentum.deploy-plans} before compaction may remove them
     * ({@code min.compaction.lag.ms}): the history a rollback to an older plan can pick from.
     */
    @WithDefault("P30D")
    Duration planHistory();

    /**
     * How long {@code momentum.notifications} keeps the notifier's records of what it sent (compacted and deleted by
     * age); longer than the notifier's {@code momentum.notifier.replay-window}.
     */
    @WithDefault("P7D")
    Duration notificationsRetention();
}
