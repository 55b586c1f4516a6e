package io.momentum.agent.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition are still being worked on, and so how far each partition may be committed: up to
 * (not including) the oldest unfinished record. Records finish out of order (environments deploy in parallel), so a
 * later offset finishing first never commits an earlier one away. Used by the polling thread only.
 */
final class OffsetTracker {

    private static final class Progress {
        final TreeSet<Long> pending = new TreeSet<>();
        long next = -1;
        long committed = -1;

        long committable() {
            return pending.isEmpty() ? next : pending.first();
        }
    }

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();

    void started(TopicPartition partition, long offset) {
        Progress progress = partitions.computeIfAbsent(partition, p -> new Progress());
        progress.pending.add(offset);
        progress.next = Math.max(progress.next, offset + 1);
    }

    /** Marks a record finished; offsets that are not pending (a partition revoked meanwhile) are ignored. */
    void finished(TopicPartition partition, long offset) {
        Progress progress = partitions.get(partition);
        if (progress != null) {
            progress.pending.remove(offset);
        }
    }

    boolean hasPending(TopicPartition partition) {
        Progress progress = partitions.get(partition);
        return progress != null && !progress.pending.isEmpty();
    }

    int inFlight() {
        return partitions.values().stream().mapToInt(p -> p.pending.size()).sum();
    }

    /** The positions that moved since the last {@link #committed} call, ready for {@code commitSync}. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        partitions.forEach((partition, progress) -> {
            long position = progress.committable();
            if (position > progress.committed) {
                due.put(partition, new OffsetAndMetadata(position));
            }
        });
        return due;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                progress.committed = Math.max(progress.committed, offset.offset());
            }
        });
    }

    /** Forgets revoked partitions: whoever gets them resumes from their committed offsets. */
    void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
