package io.momentum.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.Topics;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real in-process KRaft broker. */
class TopicProvisionerTest {

    static EmbeddedKafkaBroker broker;
    static String bootstrap;

    @BeforeAll
    static void startBroker() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path logDir = Files.createDirectories(Path.of("target", "kafka-test")).resolve("provisioner");
        broker = new EmbeddedKafkaBroker().withKafkaHost("127.0.0.1").withKafkaPort(port)
                .withAdditionalProperties(p -> p.put("log.dirs", logDir.toAbsolutePath().toString()))
                .withDeleteLogDirsOnClose(true).start();
        bootstrap = "127.0.0.1:" + port;
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void createsMissingTopicsWithTheirCleanupPolicyAndLeavesExistingOnesAlone() throws Exception {
        Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            // An operator pre-created this one with two partitions: it must stay as it is.
            client.createTopics(List.of(new NewTopic(Topics.MASTERS, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        TopicProvisioner provisioner = new TopicProvisioner(admin, new TopicSettings(3, (short) 1, 1,
                Duration.ofDays(7), Duration.ofDays(30)));
        assertThat(provisioner.provision()).containsExactlyInAnyOrder(Topics.DEPLOY_REQUESTS, Topics.DEPLOY_PLANS,
                Topics.ROLLOUTS, Topics.DEPLOY_RESULTS,
                Topics.MASTER_STATUS, Topics.LB_CHANGES, Topics.NOTIFICATIONS);
        assertThat(provisioner.provision()).isEmpty();

        try (Admin client = Admin.create(admin)) {
            var descriptions = client.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(descriptions.get(Topics.DEPLOY_REQUESTS).partitions()).hasSize(3);
            assertThat(descriptions.get(Topics.MASTERS).partitions()).hasSize(2);

            Map<ConfigResource, Config> configs = client.describeConfigs(Topics.ALL.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(policy(configs, Topics.DEPLOY_REQUESTS)).isEqualTo("compact");
            assertThat(policy(configs, Topics.DEPLOY_RESULTS)).isEqualTo("compact");
            assertThat(policy(configs, Topics.DEPLOY_PLANS)).isEqualTo("compact");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEPLOY_PLANS))
                    .get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG).value())
                    .isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
            assertThat(policy(configs, Topics.MASTER_STATUS)).isEqualTo("compact");
            assertThat(policy(configs, Topics.MASTERS)).isEqualTo("delete");
            assertThat(policy(configs, Topics.LB_CHANGES)).isEqualTo("delete");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.LB_CHANGES))
                    .get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(String.valueOf(Duration.ofDays(7).toMillis()));
            assertThat(policy(configs, Topics.NOTIFICATIONS)).isEqualTo("compact,delete");
        }
    }

    private static String policy(Map<ConfigResource, Config> configs, String topic) {
        return configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}
