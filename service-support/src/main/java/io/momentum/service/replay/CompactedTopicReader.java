package io.momentum.service.replay;

import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.service.events.EventDecoder;
import io.momentum.shared.json.EventDecodingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads topics from the beginning on every start, then follows them: how a service rebuilds its state from Kafka.
 * It assigns every partition to itself instead of joining a consumer group and commits nothing, so every instance
 * sees every record (two load balancers with the same id must never split the fleet between them). It is caught
 * up once it has read to the end offsets that stood when each partition was first assigned; until then the
 * service should act on nothing (see {@link ReplayReadiness}). Partitions added later are picked up within a
 * minute and read from their beginning. Made by {@link ReplayReaders}, which gives it its client settings.
 */
public final class CompactedTopicReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(60);

    private final String name;
    private final List<String> topics;
    private final Map<String, Object> consumerConfig;
    private final RecordHandler handler;
    private final Runnable afterBatch;
    private final Runnable onCaughtUp;
    private final EventDecoder decoder;
    private final Thread thread;
    private final Map<TopicPartition, Long> replayEnd = new HashMap<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> readUpToNowRequests = new ConcurrentLinkedQueue<>();
    /** Each waiting {@link #readUpToNow()} and the end offsets it waits for; touched by the reader thread only. */
    private final Map<CompletableFuture<Void>, Map<TopicPartition, Long>> readUpToNowTargets = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;

    CompactedTopicReader(String name, List<String> topics, Map<String, Object> consumerConfig, RecordHandler handler,
            Runnable afterBatch, Runnable onCaughtUp, EventDecoder decoder) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.handler = handler;
        this.afterBatch = afterBatch;
        this.onCaughtUp = onCaughtUp;
        this.decoder = decoder;
        this.thread = DaemonThreads.thread("replay-" + name, this::run);
    }

    void start() {
        thread.start();
    }

    public String name() {
        return name;
    }

    public List<String> topics() {
        return topics;
    }

    /** Whether everything that was on the topics when this reader started has been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Completes once this reader has applied every record that was on its topics when called: for a decision that
     * must see what others wrote just before (a rollback choosing "the previous plan" right after a broker outage,
     * while the reader is still catching up). Does not complete while Kafka cannot be reached: callers bound the
     * wait, and a future they abandon is dropped.
     */
    public CompletableFuture<Void> readUpToNow() {
        CompletableFuture<Void> read = new CompletableFuture<>();
        readUpToNowRequests.add(read);
        return read;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            long nextRefresh = 0;
            long replayed = 0;
            while (running) {
                try {
                    if (System.nanoTime() >= nextRefresh) {
                        boolean complete = assignNewPartitions(kafka);
                        nextRefresh = System.nanoTime() + (complete ? PARTITION_REFRESH : RETRY).toNanos();
                    }
                    if (kafka.assignment().isEmpty()) {
                        Thread.sleep(RETRY.toMillis());
                        continue;
                    }
                    ConsumerRecords<String, byte[]> records = kafka.poll(POLL);
                    for (ConsumerRecord<String, byte[]> record : records) {
                        apply(record);
                    }
                    replayed += records.count();
                    boolean justCaughtUp = !caughtUp && reachedReplayEnd(kafka);
                    if (justCaughtUp) {
                        caughtUp = true;
                        LOG.infof("%s: state rebuilt from %d records of %s", name, replayed, topics);
                        onCaughtUp.run();
                    }
                    if (!records.isEmpty() || justCaughtUp) {
                        afterBatch.run();
                    }
                    settleReadUpToNow(kafka);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("%s: reading %s failed, retrying in %s: %s", name, topics, RETRY, e.toString());
                    Thread.sleep(RETRY.toMillis());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.errorf(e, "%s: reader woken up unexpectedly", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Assigns partitions not assigned yet, from their beginning; false while a topic does not exist yet. */
    private boolean assignNewPartitions(KafkaConsumer<String, byte[]> kafka) {
        Set<TopicPartition> all = new HashSet<>();
        Set<String> missing = new TreeSet<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                missing.add(topic);
            } else {
                infos.forEach(info -> all.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        if (!missing.isEmpty()) {
            LOG.infof("%s: waiting for topics %s", name, missing);
            return false;
        }
        Set<TopicPartition> added = new HashSet<>(all);
        added.removeAll(kafka.assignment());
        if (!added.isEmpty()) {
            kafka.assign(all);
            kafka.seekToBeginning(added);
            if (!caughtUp) {
                replayEnd.putAll(kafka.endOffsets(added));
            }
            LOG.debugf("%s: reading from the beginning: %s", name, added);
        }
        return true;
    }

    /** Takes new {@link #readUpToNow()} requests with the end offsets of now, completes those whose ends are read. */
    private void settleReadUpToNow(KafkaConsumer<String, byte[]> kafka) {
        if (!readUpToNowRequests.isEmpty()) {
            // Asked first: if the broker cannot answer, the requests stay queued for the next round.
            Map<TopicPartition, Long> ends = kafka.endOffsets(kafka.assignment());
            for (CompletableFuture<Void> request; (request = readUpToNowRequests.poll()) != null; ) {
                readUpToNowTargets.put(request, ends);
            }
        }
        readUpToNowTargets.entrySet().removeIf(target -> {
            if (target.getKey().isDone()) {
                return true;
            }
            for (Map.Entry<TopicPartition, Long> end : target.getValue().entrySet()) {
                if (kafka.position(end.getKey()) < end.getValue()) {
                    return false;
                }
            }
            target.getKey().complete(null);
            return true;
        });
    }

    private boolean reachedReplayEnd(KafkaConsumer<String, byte[]> kafka) {
        for (Map.Entry<TopicPartition, Long> end : replayEnd.entrySet()) {
            if (kafka.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            handler.apply(record);
        } catch (EventDecodingException e) {
            decoder.skipped(record.topic(), record.partition(), record.offset(), record.key(), e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: record %s-%d@%d (key %s) could not be applied; skipped", name, record.topic(),
                    record.partition(), record.offset(), record.key());
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
