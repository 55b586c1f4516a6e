package io.momentum.agent.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.GitRepo;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * End to end with the real native deployer: the start-up catch-up deploys the control repository's branches before
 * READY; then a push (a request on the topic) is deployed on disk and answered SUCCEEDED; a deleted branch is purged;
 * a request for a branch that does not exist fails cleanly.
 */
@QuarkusTest
@TestProfile(NativeAgentProfile.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class NativeAgentTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    private DeployResult resultOf(KafkaCompanion companion, DeployRequest request) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, request.key(),
                EventCodec.encodeToString(request))).awaitCompletion(Duration.ofSeconds(30));
        ConsumerTask<String, String> results = AgentFlowTest.fromStart(companion, Topics.DEPLOY_RESULTS);
        try {
            return await().atMost(Duration.ofSeconds(90)).until(() -> results.getRecords().stream()
                    .map(r -> EventCodec.decode(r.value(), DeployResult.class))
                    .filter(r -> r.requestId().equals(request.requestId()))
                    .findFirst().orElse(null), r -> r != null);
        } finally {
            results.stop();
        }
    }

    @Test
    void catchesUpOnStartThenDeploysPushesAndPurgesDeletedBranches() throws Exception {
        Path environments = NativeAgentProfile.ENVIRONMENTS;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/api/v1/agent").then()
                .statusCode(200)
                .body("state", equalTo("READY"))
                .body("environments", hasKey("production"))
                .body("environments", hasKey("development")));
        assertThat(environments.resolve("production/modules/motd/manifests/init.pp")).exists();
        assertThat(environments.resolve("production/site/role/manifests/init.pp")).exists();
        assertThat(environments.resolve("production/.r10k-deploy.json")).exists();

        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers());
                GitRepo control = GitRepo.createBare(NativeAgentProfile.CONTROL)) {
            String feature = control.commit("feature", Map.of("Puppetfile", "",
                    "site/profile/manifests/web.pp", "class profile::web { }\n"));
            DeployRequest push = DeployRequest.environment("feature", "feature", "control", control.url(),
                    feature, Provider.GITEA, Instant.now());

            DeployResult deployed = resultOf(companion, push);

            assertThat(deployed.status()).as(deployed.error()).isEqualTo(DeployStatus.SUCCEEDED);
            assertThat(deployed.commit()).isEqualTo(feature);
            assertThat(deployed.masterId()).isEqualTo("native-master");
            assertThat(Files.readString(environments.resolve("feature/site/profile/manifests/web.pp")))
                    .contains("profile::web");

            DeployRequest missing = DeployRequest.environment("no_such_branch", "no_such_branch", "control",
                    null, null, Provider.MANUAL, Instant.now());
            DeployResult failed = resultOf(companion, missing);
            assertThat(failed.status()).isEqualTo(DeployStatus.FAILED);
            assertThat(failed.error()).isNotBlank();
            assertThat(environments.resolve("no_such_branch")).doesNotExist();

            control.deleteBranch("feature");
            DeployResult purged = resultOf(companion, push.withRequestId(java.util.UUID.randomUUID())
                    .withDeleted(true));
            assertThat(purged.status()).isEqualTo(DeployStatus.PURGED);
            assertThat(environments.resolve("feature")).doesNotExist();
            assertThat(environments.resolve("production/modules/motd")).exists();
        }
    }
}
