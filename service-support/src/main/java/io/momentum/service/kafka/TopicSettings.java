package io.momentum.service.kafka;

import java.time.Duration;

/**
 * How the SPEC topics are created. Defaults fit one local broker; production sets
 * {@code replicationFactor 3} and {@code minInsyncReplicas 2}.
 *
 * @param notificationsRetention how long the notifier's records of what it sent stay on the compacted
 *     {@code momentum.notifications} (it is also deleted by age: every notification has a key of its own)
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas, Duration lbChangesRetention,
        Duration planHistory, Duration notificationsRetention) {

    public static final Duration DEFAULT_NOTIFICATIONS_RETENTION = Duration.ofDays(7);

    public static final TopicSettings LOCAL = new TopicSettings(3, (short) 1, 1, Duration.ofDays(7),
            Duration.ofDays(30), DEFAULT_NOTIFICATIONS_RETENTION);

    /** Settings with the default retention of {@code momentum.notifications}. */
    public TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas, Duration lbChangesRetention,
            Duration planHistory) {
        this(partitions, replicationFactor, minInsyncReplicas, lbChangesRetention, planHistory,
                DEFAULT_NOTIFICATIONS_RETENTION);
    }

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
