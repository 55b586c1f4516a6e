package io.momentum.localkafka;

import io.momentum.service.kafka.TopicProvisioner;
import io.momentum.service.kafka.TopicSettings;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft broker for the local quickstart: listens on 127.0.0.1, keeps its data in a directory across restarts,
 * and shuts down in a controlled way on SIGTERM. Alone it is a single-node cluster and creates the SPEC topics; with
 * {@code --quorum} it is one of several nodes (each a process of its own, every node a broker and a controller) and
 * the services create the topics with the replication they are configured for.
 *
 * <p>Usage: {@code LocalKafka [--port 9092] [--controller-port 9093] [--data-dir .momentum-local/kafka]
 * [--node-id 1 --quorum 1@127.0.0.1:9093,2@127.0.0.1:9103,3@127.0.0.1:9113 --cluster-id ID]}
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dataDir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        String clusterId = clusterId(dataDir, options.clusterId());

        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(options.nodeId())
                .withKafkaHost(options.host())
                .withKafkaPort(options.port())
                .withControllerPort(options.controllerPort())
                .withClusterId(clusterId)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(props -> {
                    props.put("log.dirs", dataDir.resolve("logs").toString());
                    props.put("controlled.shutdown.enable", "true");
                    props.put("auto.create.topics.enable", "false");
                    props.put("log.cleaner.enable", "true");
                    // One broker, few members: a joining consumer group need not wait 3 s for more members.
                    props.put("group.initial.rebalance.delay.ms", "0");
                    if (options.quorum() != null) {
                        clusterSettings(props, options.quorum());
                    }
                });

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("local-kafka: shutting down");
            broker.close();
            stopped.countDown();
        }, "local-kafka-shutdown"));

        broker.start();
        String bootstrap = options.host() + ":" + options.port();
        if (options.quorum() == null) {
            new TopicProvisioner(Map.of("bootstrap.servers", bootstrap), TopicSettings.LOCAL).provision();
        }
        System.out.println("local-kafka: ready on " + bootstrap + ", data in " + dataDir);
        stopped.await();
    }

    /**
     * One node of a cluster whose every node is a controller too ({@code quorum} lists them all): internal topics
     * replicated like the SPEC topics in production, no unclean elections, and a node that stops heartbeating
     * fenced (and dropped from every ISR) after 3 s on loopback rather than 9 s, so a killed node blocks
     * {@code acks=all} writes only that long.
     */
    private static void clusterSettings(Properties props, String quorum) {
        int voters = quorum.split(",").length;
        String replication = Integer.toString(Math.min(3, voters));
        String minInsync = Integer.toString(Math.max(1, Math.min(3, voters) - 1));
        props.put("controller.quorum.voters", quorum);
        props.put("offsets.topic.replication.factor", replication);
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("default.replication.factor", replication);
        props.put("min.insync.replicas", minInsync);
        props.put("unclean.leader.election.enable", "false");
        props.put("broker.heartbeat.interval.ms", "500");
        props.put("broker.session.timeout.ms", "3000");
    }

    /**
     * The cluster id is chosen once and kept, so a restart finds its formatted log dir; the nodes of one cluster
     * are given theirs.
     */
    private static String clusterId(Path dataDir, String given) throws IOException {
        Path file = dataDir.resolve("cluster-id");
        if (Files.exists(file)) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (given != null && !given.equals(kept)) {
                throw new IllegalArgumentException(dataDir + " belongs to cluster " + kept + ", not " + given);
            }
            return kept;
        }
        String id = given != null ? given : Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    record Options(String host, int port, int controllerPort, Path dataDir, int nodeId, String quorum,
            String clusterId) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 9092;
            int controllerPort = 9093;
            Path dataDir = Path.of(".momentum-local", "kafka");
            int nodeId = 1;
            String quorum = null;
            String clusterId = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--host" -> host = require(args[i], value);
                    case "--port" -> port = Integer.parseInt(require(args[i], value));
                    case "--controller-port" -> controllerPort = Integer.parseInt(require(args[i], value));
                    case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                    case "--node-id" -> nodeId = Integer.parseInt(require(args[i], value));
                    case "--quorum" -> quorum = require(args[i], value);
                    case "--cluster-id" -> clusterId = require(args[i], value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (use --host, --port, --controller-port, --data-dir, --node-id, --quorum,"
                            + " --cluster-id)");
                }
                i++;
            }
            if (quorum != null && !quorum.matches("\\d+@[^,@]+:\\d+(,\\d+@[^,@]+:\\d+)*")) {
                throw new IllegalArgumentException("--quorum must list id@host:controller-port,... : " + quorum);
            }
            if (quorum != null && !("," + quorum).contains("," + nodeId + "@")) {
                throw new IllegalArgumentException("--quorum " + quorum + " does not list --node-id " + nodeId);
            }
            return new Options(host, port, controllerPort, dataDir, nodeId, quorum, clusterId);
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
