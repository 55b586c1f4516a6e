package io.momentum.service.kafka;

import java.time.Duration;

/**
 * How the SPEC topics are created. Defaults fit one local broker; production sets
 * {@code replicationFactor 3} and {@code minInsyncReplicas 2}.
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas, Duration lbChangesRetention,
        Duration planHistory) {

    public static final TopicSettings LOCAL = new TopicSettings(3, (short) 1, 1, Duration.ofDays(7),
            Duration.ofDays(30));

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1");
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor");
        }
    }
}
