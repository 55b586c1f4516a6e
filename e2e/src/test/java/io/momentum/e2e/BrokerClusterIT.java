package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.momentum.shared.event.Topics;
import io.momentum.testing.GitRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged webhook-service against a three-node KRaft cluster ({@code local-kafka} processes on loopback, every
 * node a broker and a controller; the SPEC topics with replication 3 and {@code min.insync.replicas} 2, as in
 * production) while signed pushes stream in: one node killed with -9 loses nothing that was answered 202 and the
 * webhook keeps accepting; two nodes down, it answers 503 and accepts nothing; once they are back it accepts again
 * without a restart. Ports from 15092 (the chaos helper's offset 6000). Prints {@code chaos: broker-cluster: ...}.
 */
class BrokerClusterIT {

    static final int PORT_OFFSET = 6000;
    static final int NODES = 3;
    static final String SECRET = "cluster-chaos-secret";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path work;

    static Path root;
    static String clusterId;
    static List<KafkaNode> nodes = new ArrayList<>();
    static ServiceProcess webhook;
    static GitRepo control;

    @BeforeAll
    static void startClusterAndWebhook() {
        root = Path.of(System.getProperty("momentum.root", "..")).toAbsolutePath().normalize();
        clusterId = Uuid.randomUuid().toString();
        long started = System.nanoTime();
        for (int id = 1; id <= NODES; id++) {
            nodes.add(new KafkaNode(id));
        }
        nodes.forEach(KafkaNode::start);
        nodes.forEach(KafkaNode::awaitReady);
        long clusterReady = System.nanoTime();
        control = GitRepo.createBare(work.resolve("control.git"));
        webhook = ServiceProcess.start(root, "webhook-service", "webhook-service", bootstrap(), Map.ofEntries(
                Map.entry("momentum.sources.control.repository", "local/control"),
                Map.entry("momentum.sources.control.remote", control.url()),
                Map.entry("momentum.topics.replication-factor", "3"),
                Map.entry("momentum.topics.min-insync-replicas", "2"),
                // A refused push is answered within 3 s rather than 7 s: more pushes per second of the test.
                Map.entry("momentum.webhook.publish-timeout", "3s"),
                Map.entry("mp.messaging.outgoing.deploy-requests.delivery.timeout.ms", "3000"),
                Map.entry("mp.messaging.outgoing.deploy-requests.request.timeout.ms", "1500"),
                Map.entry("mp.messaging.outgoing.deploy-plans.delivery.timeout.ms", "3000"),
                Map.entry("mp.messaging.outgoing.deploy-plans.request.timeout.ms", "1500")),
                Map.of("MOMENTUM_WEBHOOK_GITHUB_SECRET", SECRET, "MOMENTUM_API_TOKEN", "cluster-chaos-token"),
                work.resolve("logs"));
        webhook.awaitLive(WAIT);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> webhook.get("/q/health/ready").statusCode() == 200);
        report("cluster of %d up in %d ms, webhook-service ready %d ms later", NODES,
                (clusterReady - started) / 1_000_000, millisSince(clusterReady));
    }

    @AfterAll
    static void stopAll() {
        if (webhook != null) {
            webhook.close();
        }
        nodes.forEach(KafkaNode::kill);
        if (control != null) {
            control.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void oneNodeKilledLosesNothingAcknowledgedTwoDownRefuseEverythingAndBackAcceptsWithoutARestart()
            throws Exception {
        long webhookPid = webhook.pid();
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        AtomicBoolean streaming = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> pushers = IntStream.range(0, 2).mapToObj(i -> new Thread(() -> {
            while (streaming.get()) {
                int n = sequence.incrementAndGet();
                String branch = "stream" + n;
                String commit;
                synchronized (control) {
                    commit = control.commit(branch, Map.of("manifests/site.pp", "# " + branch + "\n"));
                }
                long sent = System.nanoTime();
                ChaosFleet.Response answer = ChaosFleet.signedPush(webhook.url(""), SECRET,
                        work.resolve("control.git"), branch, ChaosFleet.ZERO, commit, UUID.randomUUID().toString());
                deliveries.add(new Delivery(n, sent, System.nanoTime(), answer.status(),
                        answer.status() == 202 ? ChaosFleet.requestId(answer) : null));
                ServiceProcess.sleep(100);
            }
        }, "cluster-pushes-" + i)).toList();
        pushers.forEach(Thread::start);
        try {
            await().atMost(WAIT).until(() -> count(deliveries, d -> d.status() == 202) >= 10);

            // One node killed: partitions it led move once the controller fences it (3 s on loopback).
            long oneDown = System.nanoTime();
            nodes.get(0).kill();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                    count(deliveries, d -> d.sentAt() > oneDown && d.status() == 202) >= 20);
            long oneDownSettled = System.nanoTime();
            List<Delivery> afterOne = sentBetween(deliveries, oneDown, oneDownSettled);

            // Two nodes down: no partition has two in-sync replicas, and the quorum is lost.
            long twoDown = System.nanoTime();
            nodes.get(1).kill();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                    count(deliveries, d -> d.sentAt() > twoDown) >= 6);
            long restarting = System.nanoTime();
            List<Delivery> duringTwo = sentBetween(deliveries, twoDown, restarting);

            nodes.get(0).start();
            nodes.get(1).start();
            nodes.get(0).awaitReady();
            nodes.get(1).awaitReady();
            long back = System.nanoTime();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                    count(deliveries, d -> d.sentAt() > back && d.status() == 202) >= 10);
            streaming.set(false);
            for (Thread pusher : pushers) {
                pusher.join(TimeUnit.SECONDS.toMillis(30));
            }
            long firstAcceptedAgain = deliveries.stream().filter(d -> d.sentAt() > restarting && d.status() == 202)
                    .mapToLong(Delivery::answeredAt).min().orElseThrow();

            Set<String> stored = storedRequestIds();
            List<Delivery> accepted = deliveries.stream().filter(d -> d.status() == 202).toList();
            List<Delivery> lost = accepted.stream().filter(d -> !stored.contains(d.requestId())).toList();
            report("%d pushes: %d accepted (202), %d refused (503), %d lost (a 202 whose requestId is not on %s)",
                    deliveries.size(), accepted.size(), count(deliveries, d -> d.status() == 503), lost.size(),
                    Topics.DEPLOY_REQUESTS);
            report("one node killed -9: of %d pushes sent in the next %d ms, %d accepted, %d refused; longest "
                    + "refusing stretch %d ms", afterOne.size(), (oneDownSettled - oneDown) / 1_000_000,
                    count(afterOne, d -> d.status() == 202), count(afterOne, d -> d.status() == 503),
                    refusingStretchMillis(afterOne));
            report("two nodes down for %d ms: %d pushes sent, %d accepted, %d refused", (back - twoDown) / 1_000_000,
                    duringTwo.size(), count(duringTwo, d -> d.status() == 202),
                    count(duringTwo, d -> d.status() == 503));
            report("both restarted and ready %d ms after the restart began; first push accepted again %d ms after "
                    + "they were ready (webhook-service not restarted)", (back - restarting) / 1_000_000,
                    (firstAcceptedAgain - back) / 1_000_000);

            assertThat(deliveries).allSatisfy(d -> assertThat(d.status()).as(d.toString()).isIn(202, 503));
            assertThat(accepted).allSatisfy(d -> assertThat(d.requestId()).as(d.toString()).isNotNull());
            assertThat(lost).as("acknowledged but not stored").isEmpty();
            assertThat(count(afterOne, d -> d.status() == 202)).as("accepting with one node down").isGreaterThan(0);
            assertThat(duringTwo).as("pushes sent while two nodes were down").isNotEmpty()
                    .allSatisfy(d -> assertThat(d.status()).as(d.toString()).isEqualTo(503));
            assertThat(webhook.pid()).as("webhook-service restarted").isEqualTo(webhookPid);
            assertThat(webhook.get("/q/health/ready").statusCode()).isEqualTo(200);
        } finally {
            streaming.set(false);
            for (Thread pusher : pushers) {
                pusher.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    record Delivery(int sequence, long sentAt, long answeredAt, int status, String requestId) {
    }

    private static int count(List<Delivery> deliveries, Predicate<Delivery> which) {
        return (int) deliveries.stream().filter(which).count();
    }

    private static List<Delivery> sentBetween(List<Delivery> deliveries, long from, long to) {
        return deliveries.stream().filter(d -> d.sentAt() > from && d.sentAt() <= to).toList();
    }

    /** From the first refused push's sending to the answer of the last refused one before a push was accepted. */
    private static long refusingStretchMillis(List<Delivery> deliveries) {
        List<Delivery> bySending = deliveries.stream()
                .sorted((a, b) -> Long.compare(a.sentAt(), b.sentAt())).toList();
        long longest = 0;
        Long start = null;
        long end = 0;
        for (Delivery d : bySending) {
            if (d.status() == 202) {
                if (start != null) {
                    longest = Math.max(longest, end - start);
                    start = null;
                }
            } else {
                start = start == null ? d.sentAt() : start;
                end = d.answeredAt();
            }
        }
        if (start != null) {
            longest = Math.max(longest, end - start);
        }
        return longest / 1_000_000;
    }

    /** Every requestId on {@code momentum.deploy-requests}, read from the beginning up to the end offsets. */
    private static Set<String> storedRequestIds() {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEPLOY_REQUESTS, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading " + Topics.DEPLOY_REQUESTS).isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    String id = ChaosFleet.requestId(new ChaosFleet.Response(200, String.valueOf(record.value())));
                    if (id != null) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    static String bootstrap() {
        return IntStream.rangeClosed(1, NODES).mapToObj(id -> "127.0.0.1:" + KafkaNode.port(id))
                .collect(Collectors.joining(","));
    }

    private static void report(String format, Object... args) {
        System.out.println("chaos: broker-cluster: " + String.format(format, args));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** One node of the cluster: a {@code local-kafka} process, its data kept across a kill and a restart. */
    static final class KafkaNode {

        private final int id;
        private final Path log;
        private Process process;
        private long linesBeforeStart;

        KafkaNode(int id) {
            this.id = id;
            this.log = work.resolve("kafka-" + id + ".log");
        }

        static int port(int id) {
            return 9082 + PORT_OFFSET + 10 * id;
        }

        static String quorum() {
            return IntStream.rangeClosed(1, NODES).mapToObj(id -> id + "@127.0.0.1:" + (port(id) + 1))
                    .collect(Collectors.joining(","));
        }

        void start() {
            Path module = root.resolve("local-kafka/target");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", module.resolve("momentum-local-kafka-0.1.0-SNAPSHOT.jar") + ":" + module.resolve("lib/*"),
                    "io.momentum.localkafka.LocalKafka", "--node-id", Integer.toString(id),
                    "--port", Integer.toString(port(id)), "--controller-port", Integer.toString(port(id) + 1),
                    "--quorum", quorum(), "--cluster-id", clusterId,
                    "--data-dir", work.resolve("kafka-" + id).toString());
            try {
                linesBeforeStart = Files.exists(log) ? Files.readAllLines(log).size() : 0;
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void awaitReady() {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(process.isAlive()).as("kafka node " + id + " exited:\n" + tail()).isTrue();
                return Files.readAllLines(log).stream().skip(linesBeforeStart)
                        .anyMatch(line -> line.startsWith("local-kafka: ready"));
            });
        }

        /** SIGKILL: no controlled shutdown, nothing flushed. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
