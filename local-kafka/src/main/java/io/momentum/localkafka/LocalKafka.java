package io.momentum.localkafka;

import io.momentum.service.kafka.TopicProvisioner;
import io.momentum.service.kafka.TopicSettings;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node KRaft broker for the local quickstart: listens on 127.0.0.1, keeps its data in a directory across
 * restarts, creates the SPEC topics, and shuts down in a controlled way on SIGTERM.
 *
 * <p>Usage: {@code LocalKafka [--port 9092] [--controller-port 9093] [--data-dir .momentum-local/kafka]}
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dataDir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        String clusterId = clusterId(dataDir);

        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
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
                });

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("local-kafka: shutting down");
            broker.close();
            stopped.countDown();
        }, "local-kafka-shutdown"));

        broker.start();
        String bootstrap = options.host() + ":" + options.port();
        new TopicProvisioner(Map.of("bootstrap.servers", bootstrap), TopicSettings.LOCAL).provision();
        System.out.println("local-kafka: ready on " + bootstrap + ", data in " + dataDir);
        stopped.await();
    }

    /** The cluster id is chosen once and kept, so a restart finds its formatted log dir. */
    private static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = org.apache.kafka.common.Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    record Options(String host, int port, int controllerPort, Path dataDir) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 9092;
            int controllerPort = 9093;
            Path dataDir = Path.of(".momentum-local", "kafka");
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--host" -> host = require(args[i], value);
                    case "--port" -> port = Integer.parseInt(require(args[i], value));
                    case "--controller-port" -> controllerPort = Integer.parseInt(require(args[i], value));
                    case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (use --host, --port, --controller-port, --data-dir)");
                }
                i++;
            }
            return new Options(host, port, controllerPort, dataDir);
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
