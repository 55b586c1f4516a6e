package io.momentum.agent.messaging;

import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.json.EventDecodingException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@code momentum.deploy-requests} in a consumer group with a plain {@link KafkaConsumer} on one thread, and
 * commits an offset only once the request's work is done and what it published is stored (manual
 * {@code commitSync}, auto-commit off): the planner's consumer, in group {@code momentum-planner} ({@link #inGroup};
 * with several planners each request is planned by one of them). Records are handed to the handler as they come (so the work can be coalesced
 * and parallelized) and finish out of order; each partition is committed up to its oldest unfinished record. A
 * crash or kill therefore redelivers everything unfinished, which is harmless: plans are named by their content.
 *
 * <p>Tombstones are ignored; records the {@link EventDecoder} refuses (malformed, invalid, newer schema) are logged,
 * counted and skipped (and committed). Once the records that
 * existed when the partitions were first assigned are all finished, {@code onReplayed} runs once: this is how a
 * new master knows it has caught up with the compacted topic.
 *
 * <p>Not a SmallRye {@code @Incoming} channel with the {@code throttled} commit strategy, whose commit rule is the
 * same, because (measured with smallrye-reactive-messaging-kafka 4.33): a record un-acked for longer than
 * {@code throttled.unprocessed-record-max-age.ms} (60 s) is a fatal failure, the source closes its consumer and
 * consumes nothing more (liveness DOWN), while a deploy, or a request coalesced behind one, takes minutes; {@code 0}
 * turns every stuck-record signal off instead. A channel also lives as long as the application, so what {@code RequestConsumerTest} proves
 * by stopping a consumer mid-deploy and starting the next one in the same group (unfinished work redelivered,
 * finished work not, replay detected afresh) could no longer be tested; and the replay check needs the consumer's
 * position after the work, which a channel only offers through its polling thread.
 */
public final class RequestConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Stop fetching while this many records are unfinished, so a long replay does not fill the heap. */
    private static final int MAX_IN_FLIGHT = 5_000;

    private record Finished(TopicPartition partition, long offset) {
    }

    private final String topic;
    private final String group;
    private final Consumer<String, byte[]> consumer;
    private final EventDecoder decoder;
    private final Function<DeployRequest, CompletableFuture<Void>> handler;
    private final Runnable onReplayed;
    private final java.util.function.Consumer<Throwable> onDied;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private Map<TopicPartition, Long> replayEnd;
    private boolean replayed;
    private volatile boolean stopping;
    private volatile boolean closed;

    private RequestConsumer(String topic, Map<String, Object> config, EventDecoder decoder,
            Function<DeployRequest, CompletableFuture<Void>> handler, Runnable onReplayed,
            java.util.function.Consumer<Throwable> onDied) {
        this.topic = topic;
        this.group = String.valueOf(config.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.consumer = new KafkaConsumer<>(config);
        this.decoder = decoder;
        this.handler = handler;
        this.onReplayed = onReplayed;
        this.onDied = onDied;
        this.thread = DaemonThreads.thread("momentum-requests-" + group, this::loop);
    }

    /**
     * A consumer of {@code topic} in {@code groupId}, shared with other agents: with the same guarantees (commit
     * after work, earliest offset for a new group) and {@code overrides} on top (a client id, the group protocol).
     *
     * @param onReplayed runs once, on the polling thread, when the records present at start-up are all finished
     * @param onDied runs when the polling thread ends without {@link #stop()}, with the error that ended it: this
     *     agent no longer plans anything and must be restarted
     */
    public static RequestConsumer inGroup(String topic, String groupId, Map<String, Object> overrides,
            KafkaClientSettings kafka, EventDecoder decoder, Function<DeployRequest, CompletableFuture<Void>> handler,
            Runnable onReplayed, java.util.function.Consumer<Throwable> onDied) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.putAll(groupSettings(groupId));
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        return new RequestConsumer(topic, kafka.consumer(config), decoder, handler, onReplayed, onDied);
    }

    /** The guarantees of every group this class consumes in; the caller's overrides cannot weaken them. */
    static Map<String, Object> groupSettings(String groupId) {
        return Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                // Offsets are committed by hand once a request's results are stored.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A new master's group has no offsets: replay the compacted topic from its start.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    public void start() {
        thread.start();
    }

    /** True when the polling thread ended without being stopped: this agent no longer consumes requests. */
    public boolean hasFailed() {
        return !stopping && thread.getState() == Thread.State.TERMINATED;
    }

    /** Stops fetching records and waits for the polling thread; finished work can still be committed. */
    public void stop() {
        stopping = true;
        // A wakeup nobody polls for would instead break the final commit of close().
        if (thread.isAlive()) {
            consumer.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits what finished since (after {@link #stop()} and after the scheduler drained) and leaves the group. */
    @Override
    public void close() {
        if (!stopping) {
            stop();
        }
        if (closed) {
            return;
        }
        closed = true;
        try {
            drainFinished();
            commit();
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void loop() {
        Throwable died = null;
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    dispatch(record);
                }
                drainFinished();
                commit();
                throttle();
                checkReplayed();
            }
        } catch (RuntimeException | Error e) {
            // A wakeup while stopping is the normal way out; anything else ends the agent's usefulness.
            died = e;
        } finally {
            if (!stopping) {
                LOG.errorf(died, "request consumer of %s stopped: nothing more is consumed in that group", group);
                onDied.accept(died);
            }
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        long offset = record.offset();
        tracker.started(partition, offset);
        if (record.value() == null) {
            tracker.finished(partition, offset);
            return;
        }
        DeployRequest request;
        try {
            request = decoder.decode(record.value(), DeployRequest.class);
        } catch (EventDecodingException e) {
            decoder.skipped(record.topic(), record.partition(), offset, record.key(), e);
            tracker.finished(partition, offset);
            return;
        }
        CompletableFuture<Void> done;
        try {
            done = handler.apply(request);
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s could not be scheduled; skipped", request.requestId());
            tracker.finished(partition, offset);
            return;
        }
        done.whenComplete((ok, error) -> {
            if (error == null) {
                finished.add(new Finished(partition, offset));
            } else {
                // Only a shutdown fails a request's work: leave it uncommitted so it is redelivered.
                LOG.debugf("request %s at %s@%d left uncommitted: %s", request.requestId(), partition, offset,
                        error.getMessage());
            }
        });
    }

    private void drainFinished() {
        Finished done;
        while ((done = finished.poll()) != null) {
            tracker.finished(done.partition(), done.offset());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> due = tracker.committable();
        due.keySet().retainAll(consumer.assignment());
        if (due.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(due);
            tracker.committed(due);
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
            // stop()'s wakeup, still pending because the loop had passed its last poll: the throw cleared it.
            commit();
        } catch (KafkaException e) {
            LOG.warnf("commit of %s failed (will retry): %s", due, e.getMessage());
        }
    }

    private void throttle() {
        if (tracker.inFlight() >= MAX_IN_FLIGHT) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void checkReplayed() {
        if (replayed || replayEnd == null) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> end : replayEnd.entrySet()) {
            TopicPartition partition = end.getKey();
            if (!consumer.assignment().contains(partition)) {
                continue;
            }
            if (tracker.hasPending(partition) || consumer.position(partition) < end.getValue()) {
                return;
            }
        }
        replayed = true;
        LOG.infof("replayed %s up to the offsets present at start-up", topic);
        onReplayed.run();
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            drainFinished();
            commit();
            tracker.forget(revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            LOG.infof("assigned %s", assigned);
            if (replayEnd == null) {
                replayEnd = new HashMap<>(consumer.endOffsets(assigned));
            }
        }
    }
}
