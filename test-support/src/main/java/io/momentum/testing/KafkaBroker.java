package io.momentum.testing;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A real single-node KRaft broker in this JVM, on 127.0.0.1, with its log dir under {@code target/} so that a
 * test run leaves nothing in /tmp. It can be stopped and started again on the same port and log dir, which is how
 * tests simulate a broker outage.
 */
public final class KafkaBroker implements AutoCloseable {

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final String clusterId;
    private EmbeddedKafkaBroker broker;

    private KafkaBroker(int port, int controllerPort, Path logDir) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDir = logDir;
        this.clusterId = UUID.randomUUID().toString();
    }

    /** Starts a broker on free ports with a fresh log dir under {@code target/kafka-test}. */
    public static KafkaBroker startFresh() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "kafka-test"))
                    .resolve("broker-" + UUID.randomUUID());
            return new KafkaBroker(freePort(), freePort(), dir.toAbsolutePath()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized KafkaBroker start() {
        if (broker == null) {
            broker = new EmbeddedKafkaBroker()
                    .withNodeId(0)
                    .withKafkaHost("127.0.0.1")
                    .withKafkaPort(port)
                    .withControllerPort(controllerPort)
                    .withClusterId(clusterId)
                    .withDeleteLogDirsOnClose(false)
                    .withAdditionalProperties(props -> {
                        props.put("log.dirs", logDir.toString());
                        // Tests rely on compaction-shaped topics but never on the cleaner running.
                        props.put("log.cleaner.enable", "true");
                        props.put("auto.create.topics.enable", "true");
                        // One broker, few members: a joining consumer group need not wait 3 s for more members.
                        props.put("group.initial.rebalance.delay.ms", "0");
                    })
                    .start();
        }
        return this;
    }

    /** Shuts the broker down, keeping its data, so that {@link #start()} brings the same topics back. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public synchronized boolean isRunning() {
        return broker != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
