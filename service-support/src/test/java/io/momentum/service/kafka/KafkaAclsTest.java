package io.momentum.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.event.Topics;
import io.momentum.testing.SecureKafkaBroker;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Least privilege on Kafka, against a real KRaft broker with a SASL_SSL listener (SCRAM-SHA-512, a throwaway CA),
 * the StandardAuthorizer and {@code allow.everyone.if.no.acl.found=false}. The ACLs are the ones
 * {@code deploy/kafka/acls.sh} grants: the test runs that script, with {@code KAFKA_ACLS} pointing at a recorder
 * instead of Kafka's {@code kafka-acls.sh} (its AclCommand is in kafka-tools, which is not on the test class path),
 * and adds exactly the recorded {@code --add} invocations as the admin. Topics are created by the admin, as in a
 * secured cluster where services run with {@code momentum.topics.provision=false}.
 */
class KafkaAclsTest {

    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final List<String> SERVICE_USERS = List.of("momentum-webhook", "momentum-planner",
            "momentum-agent", "momentum-health", "momentum-lb", "momentum-notifier");
    private static final Duration WITHIN = Duration.ofSeconds(20);

    static Path dir;
    static SecureKafkaBroker broker;
    static final Map<String, String> passwords = new HashMap<>();

    @BeforeAll
    static void startSecuredBrokerWithTheAcls() throws Exception {
        dir = Files.createDirectories(Path.of("target", "kafka-test")).resolve("acls-" + UUID.randomUUID())
                .toAbsolutePath();
        broker = SecureKafkaBroker.start(dir);
        for (String user : SERVICE_USERS) {
            passwords.put(user, UUID.randomUUID().toString());
            broker.createUser(user, passwords.get(user));
        }
        new TopicProvisioner(broker.adminConfig(), new TopicSettings(1, (short) 1, 1, Duration.ofDays(7),
                Duration.ofDays(30))).provision();
        broker.addAcls(aclsGrantedByTheScript());
        // Something on every topic for the readers to find.
        try (KafkaProducer<String, String> admin = producer(broker.adminConfig())) {
            for (String topic : Topics.ALL) {
                admin.send(new ProducerRecord<>(topic, "seed", "{}")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0} writes {1}")
    @CsvSource({
            "momentum-webhook, momentum.deploy-requests",
            "momentum-webhook, momentum.deploy-plans",
            "momentum-planner, momentum.deploy-plans",
            "momentum-planner, momentum.deploy-results",
            "momentum-planner, momentum.masters",
            "momentum-agent, momentum.deploy-results",
            "momentum-agent, momentum.masters",
            "momentum-health, momentum.master-status",
            "momentum-health, momentum.rollouts",
            "momentum-lb, momentum.lb-changes",
            "momentum-notifier, momentum.notifications"})
    void eachServicePublishesWhereItMustWithAnIdempotentProducer(String user, String topic) throws Exception {
        // Write on the topic is all an idempotent producer needs: no IdempotentWrite on the cluster is granted.
        try (KafkaProducer<String, String> producer = producer(as(user))) {
            assertThat(producer.send(new ProducerRecord<>(topic, "key", "{}")).get(30, TimeUnit.SECONDS).offset())
                    .isNotNegative();
        }
    }

    @ParameterizedTest(name = "{0} cannot write {1}")
    @CsvSource({
            "momentum-agent, momentum.deploy-requests",
            "momentum-agent, momentum.deploy-plans",
            "momentum-agent, momentum.master-status",
            "momentum-agent, momentum.rollouts",
            "momentum-webhook, momentum.rollouts",
            "momentum-planner, momentum.deploy-requests",
            "momentum-planner, momentum.master-status",
            "momentum-health, momentum.deploy-requests",
            "momentum-lb, momentum.deploy-requests",
            "momentum-lb, momentum.master-status",
            "momentum-notifier, momentum.deploy-requests",
            "momentum-notifier, momentum.master-status",
            "momentum-agent, momentum.notifications"})
    void forbiddenWritesAreRefused(String user, String topic) {
        try (KafkaProducer<String, String> producer = producer(as(user))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "key", "{}")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @ParameterizedTest(name = "{0} replays {1}")
    @CsvSource({
            "momentum-webhook, momentum.deploy-requests",
            "momentum-webhook, momentum.deploy-plans",
            "momentum-webhook, momentum.deploy-results",
            "momentum-webhook, momentum.masters",
            "momentum-planner, momentum.deploy-plans",
            "momentum-agent, momentum.deploy-plans",
            "momentum-agent, momentum.rollouts",
            "momentum-webhook, momentum.rollouts",
            "momentum-health, momentum.rollouts",
            "momentum-health, momentum.masters",
            "momentum-health, momentum.deploy-plans",
            "momentum-health, momentum.deploy-results",
            "momentum-health, momentum.master-status",
            "momentum-lb, momentum.master-status",
            "momentum-notifier, momentum.deploy-requests",
            "momentum-notifier, momentum.deploy-plans",
            "momentum-notifier, momentum.deploy-results",
            "momentum-notifier, momentum.masters",
            "momentum-notifier, momentum.master-status",
            "momentum-notifier, momentum.lb-changes",
            "momentum-notifier, momentum.notifications"})
    void eachServiceReplaysItsTopicsWithoutAGroup(String user, String topic) {
        try (KafkaConsumer<String, String> consumer = replayConsumer(user)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            assertThat(pollUntilRecords(consumer).count()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0} cannot read {1}")
    @CsvSource({
            "momentum-agent, momentum.deploy-requests",
            "momentum-agent, momentum.master-status",
            "momentum-health, momentum.deploy-requests",
            "momentum-lb, momentum.deploy-requests",
            "momentum-lb, momentum.deploy-plans",
            "momentum-notifier, momentum.rollouts"})
    void forbiddenReadsAreRefused(String user, String topic) {
        try (KafkaConsumer<String, String> consumer = replayConsumer(user)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void thePlannerConsumesRequestsInItsGroup() {
        Map<String, Object> config = consumerConfig(as("momentum-planner"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "momentum-planner");
        try (KafkaConsumer<String, String> planner = new KafkaConsumer<>(config)) {
            planner.subscribe(List.of(Topics.DEPLOY_REQUESTS));
            assertThat(pollUntilRecords(planner).count()).isPositive();
            planner.commitSync(Duration.ofSeconds(10));
        }
    }

    @Test
    void noOtherServiceMayJoinThePlannerGroup() {
        Map<String, Object> config = consumerConfig(as("momentum-agent"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "momentum-planner");
        try (KafkaConsumer<String, String> agent = new KafkaConsumer<>(config)) {
            agent.subscribe(List.of(Topics.DEPLOY_PLANS));
            assertThatThrownBy(() -> agent.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"momentum-webhook", "momentum-planner", "momentum-agent", "momentum-health",
            "momentum-lb", "momentum-notifier"})
    void everyServiceMayDescribeTheClusterForItsHealthCheck(String user) throws Exception {
        // quarkus.kafka.health.enabled: the check is describeCluster().nodes(), which needs no ACL.
        try (Admin admin = Admin.create(as(user))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void aWrongPasswordOrAnUnknownUserCannotLogIn() {
        Map<String, Object> wrongPassword = broker.clientConfig("momentum-webhook", "not-" + passwords.get(
                "momentum-webhook"));
        Map<String, Object> unknownUser = broker.clientConfig("mallory", "whatever");
        for (Map<String, Object> config : List.of(wrongPassword, unknownUser)) {
            try (Admin admin = Admin.create(withShortTimeouts(config))) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    @Test
    void aClientWithoutSaslOrWithoutTheCaGetsNothing() {
        Map<String, Object> tlsOnly = broker.clientConfig("momentum-webhook", passwords.get("momentum-webhook"));
        tlsOnly.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        try (Admin admin = Admin.create(withShortTimeouts(tlsOnly))) {
            // The broker waits for a SASL handshake and drops the connection: the client never gets an answer.
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        Map<String, Object> untrusting = broker.clientConfig("momentum-webhook", passwords.get("momentum-webhook"));
        untrusting.remove("ssl.truststore.type");
        untrusting.remove("ssl.truststore.location");
        try (Admin admin = Admin.create(withShortTimeouts(untrusting))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void theCommentedProductionStanzaConnectsAsItIsWritten() throws Exception {
        // What an operator copies from deploy/config: uncommented, read by SmallRye Config as Quarkus does (so its
        // expression expansion is applied), with /etc/momentum/ standing for a directory of this test.
        Path etc = Files.createDirectories(dir.resolve("etc-momentum"));
        Files.copy(broker.caCertificate(), etc.resolve("kafka-ca.pem"));
        Path secret = Files.createDirectories(etc.resolve("webhook-service")).resolve("kafka-password.properties");
        Files.writeString(secret, "password=" + passwords.get("momentum-webhook") + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        Map<String, String> stanza = commentedKafkaStanza(DEPLOY.resolve("config/webhook-service.properties"));
        assertThat(stanza.get("kafka.sasl.jaas.config")).doesNotContain(passwords.get("momentum-webhook"))
                .contains("${file:");
        Map<String, Object> client = new HashMap<>();
        stanza.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                client.put(key.substring("kafka.".length()), value.replace("/etc/momentum/", etc + "/"));
            }
        });
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = producer(client)) {
            assertThat(producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, "key", "{}"))
                    .get(30, TimeUnit.SECONDS).offset()).isNotNegative();
        }

        // allowed.paths is honoured: a provider confined elsewhere leaves the placeholder unresolved, and the login
        // fails. (Every allowed path must exist, or the client refuses to start.)
        client.put("config.providers.file.param.allowed.paths",
                Files.createDirectories(etc.resolve("health-monitor")).toString());
        assertThatThrownBy(() -> {
            try (KafkaProducer<String, String> producer = producer(client)) {
                producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, "key", "{}")).get(30, TimeUnit.SECONDS);
            }
        }).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    /**
     * Runs {@code deploy/kafka/acls.sh} with a recorder as {@code kafka-acls.sh} and turns each recorded call into
     * the ACLs Kafka's AclCommand adds for it: every principal gets the operation on every named resource.
     */
    private static List<AclBinding> aclsGrantedByTheScript() throws IOException, InterruptedException {
        Path calls = dir.resolve("kafka-acls.calls");
        Path recorder = dir.resolve("kafka-acls-recorder.sh");
        Files.writeString(recorder, "#!/bin/sh\nprintf '%s\\t' \"$@\" >> \"$ACL_CALLS\"\necho >> \"$ACL_CALLS\"\n");
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        // Only passed through: the recorder never reads the admin's client settings.
        Path adminProperties = dir.resolve("admin.properties");
        ProcessBuilder script = new ProcessBuilder(DEPLOY.resolve("kafka/acls.sh").toString(),
                broker.bootstrapServers(), adminProperties.toString()).redirectErrorStream(true);
        script.environment().put("KAFKA_ACLS", recorder.toString());
        script.environment().put("ACL_CALLS", calls.toString());
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<AclBinding> acls = new ArrayList<>();
        for (String call : Files.readAllLines(calls)) {
            List<String> args = List.of(call.split("\t"));
            assertThat(args).containsSequence("--bootstrap-server", broker.bootstrapServers())
                    .containsSequence("--command-config", adminProperties.toString()).contains("--add");
            List<String> principals = new ArrayList<>();
            List<ResourcePattern> resources = new ArrayList<>();
            AclOperation operation = null;
            for (int i = 0; i < args.size() - 1; i++) {
                String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--allow-principal" -> principals.add(value);
                    case "--operation" -> operation = AclOperation.fromString(value);
                    case "--topic" -> resources.add(new ResourcePattern(ResourceType.TOPIC, value, PatternType.LITERAL));
                    case "--group" -> resources.add(new ResourcePattern(ResourceType.GROUP, value, PatternType.LITERAL));
                    default -> { }
                }
            }
            assertThat(operation).as(call).isNotIn(null, AclOperation.UNKNOWN);
            for (String principal : principals) {
                for (ResourcePattern resource : resources) {
                    acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation,
                            AclPermissionType.ALLOW)));
                }
            }
        }
        assertThat(acls).isNotEmpty();
        return acls;
    }

    /** The {@code #kafka.*} and {@code #momentum.*} lines of a configuration file, as SmallRye Config reads them. */
    private static Map<String, String> commentedKafkaStanza(Path file) throws IOException {
        Map<String, String> properties = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#kafka.") || line.startsWith("#momentum.topics.")) {
                Properties parsed = new Properties();
                parsed.load(new StringReader(line.substring(1)));
                parsed.forEach((key, value) -> properties.put((String) key, (String) value));
            }
        }
        assertThat(properties).containsEntry("kafka.security.protocol", "SASL_SSL")
                .containsEntry("momentum.topics.provision", "false");
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, file.toString(), 100)).build();
        Map<String, String> expanded = new HashMap<>();
        properties.keySet().forEach(key -> expanded.put(key, config.getValue(key, String.class)));
        return expanded;
    }

    private static Map<String, Object> as(String user) {
        return broker.clientConfig(user, passwords.get(user));
    }

    private static Map<String, Object> withShortTimeouts(Map<String, Object> config) {
        Map<String, Object> shortened = new HashMap<>(config);
        shortened.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        shortened.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        return shortened;
    }

    /** The producer settings of every Momentum channel: acks=all and idempotence. */
    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** The settings of service-support's replay reader: no group, from the start, committed records only. */
    private static KafkaConsumer<String, String> replayConsumer(String user) {
        return new KafkaConsumer<>(consumerConfig(as(user)));
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }

    private static ConsumerRecords<String, String> pollUntilRecords(KafkaConsumer<String, String> consumer) {
        Instant deadline = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(deadline)) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                return records;
            }
        }
        return ConsumerRecords.empty();
    }
}
