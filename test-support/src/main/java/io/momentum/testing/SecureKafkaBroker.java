package io.momentum.testing;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * A real single-node KRaft broker in this JVM that is secured the way production Kafka should be: its only client
 * listener is SASL_SSL with SCRAM-SHA-512, the StandardAuthorizer refuses whatever no ACL allows
 * ({@code allow.everyone.if.no.acl.found=false}), and the super users are the admin principal
 * ({@value #ADMIN}) and the broker itself. TLS comes from a throwaway {@link TestCertificateAuthority}; the
 * controller listener takes only the broker's own certificate (mutual TLS), so nothing reaches the broker
 * unauthenticated. The admin's SCRAM credential is written into the metadata log when the storage is formatted,
 * as {@code kafka-storage.sh format --add-scram} does; every other user is created through the admin API with
 * {@link #createUser}. Certificates, logs and data live under the directory given to {@link #start}.
 */
public final class SecureKafkaBroker implements AutoCloseable {

    public static final String ADMIN = "momentum-admin";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final String BROKER_NAME = "momentum-test-broker";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration METADATA_PROPAGATION = Duration.ofSeconds(15);

    private final int port;
    private final Path caCertificate;
    private final String adminPassword;
    private final EmbeddedKafkaBroker broker;

    private SecureKafkaBroker(int port, Path caCertificate, String adminPassword, EmbeddedKafkaBroker broker) {
        this.port = port;
        this.caCertificate = caCertificate;
        this.adminPassword = adminPassword;
        this.broker = broker;
    }

    /** Starts a broker on free loopback ports, keeping its certificates and data under {@code dir}. */
    public static SecureKafkaBroker start(Path dir) {
        Path logDir = dir.resolve("data").toAbsolutePath();
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("tls").toAbsolutePath());
        Path keystore = ca.issue(BROKER_NAME);
        int port = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        String clusterId = Uuid.randomUuid().toString();
        String adminPassword = UUID.randomUUID().toString();

        Properties secured = new Properties();
        secured.put("log.dirs", logDir.toString());
        secured.put("listeners", "SASL_SSL://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                + controllerPort);
        secured.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        secured.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL," + CONTROLLER_LISTENER + ":SSL");
        secured.put("controller.listener.names", CONTROLLER_LISTENER);
        secured.put("inter.broker.listener.name", "SASL_SSL");
        secured.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        secured.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
        secured.put("ssl.keystore.type", "PEM");
        secured.put("ssl.keystore.location", keystore.toString());
        secured.put("ssl.truststore.type", "PEM");
        secured.put("ssl.truststore.location", ca.certificate().toString());
        secured.put("listener.name.controller.ssl.client.auth", "required");
        secured.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        secured.put("allow.everyone.if.no.acl.found", "false");
        secured.put("super.users", "User:" + ADMIN + ";User:CN=" + BROKER_NAME);
        // One broker, few members: a joining consumer group need not wait 3 s for more members.
        secured.put("group.initial.rebalance.delay.ms", "0");
        secured.put("auto.create.topics.enable", "false");
        format(dir, secured, clusterId, controllerPort, adminPassword);

        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withClusterId(clusterId)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(props -> {
                    props.putAll(secured);
                    // The broker logs in to itself as the admin; the formatted storage already knows that user.
                    props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(ADMIN, adminPassword));
                })
                .start();
        return new SecureKafkaBroker(port, ca.certificate(), adminPassword, broker);
    }

    /**
     * Formats the storage as {@code kafka-storage.sh format --add-scram} does, so that the admin's SCRAM credential
     * is in the metadata before the broker first starts (the companion then finds the storage formatted and keeps
     * it). The admin's password goes to the tool as an argument in this JVM, never into a file or a process list.
     */
    private static void format(Path dir, Properties secured, String clusterId, int controllerPort,
            String adminPassword) {
        Properties config = new Properties();
        config.putAll(secured);
        config.put("node.id", "0");
        config.put("process.roles", "broker,controller");
        config.put("controller.quorum.voters", "0@127.0.0.1:" + controllerPort);
        Path file = dir.resolve("format.properties").toAbsolutePath();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.store(writer, "kafka-storage format of the secured test broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            exit = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config", file.toString(),
                    "--add-scram", SCRAM_MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            // The tool's own output, which never contains the password.
            throw new IllegalStateException("cannot format the broker's storage: " + output, e);
        }
        if (exit != 0) {
            throw new IllegalStateException("cannot format the broker's storage: " + output);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The CA certificate (PEM) that signed the broker's certificate: the one thing a client must trust. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** Client settings for {@code user}: SASL_SSL, SCRAM-SHA-512 and a PEM truststore holding the test CA. */
    public Map<String, Object> clientConfig(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString());
        return config;
    }

    /** Client settings of the admin, a super user. */
    public Map<String, Object> adminConfig() {
        return clientConfig(ADMIN, adminPassword);
    }

    /** Creates or changes a SCRAM-SHA-512 user and waits until the broker accepts its logins. */
    public void createUser(String user, String password) {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, TimeUnit.SECONDS);
            // The controller has stored it; the broker knows it once it has applied that metadata.
            awaitPropagation("user " + user, () -> admin.describeUserScramCredentials(List.of(user)).all()
                    .get(5, TimeUnit.SECONDS).containsKey(user));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create user " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating user " + user, e);
        }
    }

    /** Adds ACLs as the admin and waits until the broker's authorizer enforces them all. */
    public void addAcls(Collection<AclBinding> acls) {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            awaitPropagation(acls.size() + " ACLs", () -> new HashSet<>(admin.describeAcls(AclBindingFilter.ANY)
                    .values().get(5, TimeUnit.SECONDS)).containsAll(acls));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot add ACLs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding ACLs", e);
        }
    }

    private interface Check {
        boolean passes() throws Exception;
    }

    private static void awaitPropagation(String what, Check check) throws InterruptedException {
        Instant deadline = Instant.now().plus(METADATA_PROPAGATION);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (check.passes()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(what + " not visible on the broker within " + METADATA_PROPAGATION, last);
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    @Override
    public void close() {
        broker.close();
    }
}
