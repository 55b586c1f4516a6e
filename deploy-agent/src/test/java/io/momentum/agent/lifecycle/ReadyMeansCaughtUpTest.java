package io.momentum.agent.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.GitSshServer;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * READY means caught up: a new master finds production's plan on the plans topic, but the git server refuses its
 * deploy key, so it cannot fetch the plan's commit: it stays JOINING, says why in the status API and in its
 * announcements, and keeps trying; once the key file holds the right key it deploys the plan and becomes READY,
 * without a restart.
 */
@QuarkusTest
@TestProfile(GitSshAgentProfile.class)
class ReadyMeansCaughtUpTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    private static List<MasterAnnouncement> announcements(ConsumerTask<String, String> records) {
        return records.getRecords().stream().filter(r -> "ssh-master".equals(r.key()) && r.value() != null)
                .map(r -> EventCodec.decode(r.value(), MasterAnnouncement.class)).toList();
    }

    @Test
    void aWrongKeyKeepsTheMasterJoiningWithTheCauseAndTheRightKeyMakesItReady() throws Exception {
        assumeTrue(GitSshServer.installed(), "openssh-server missing");
        String cause = "authentication failed for ssh://";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/agent").then()
                .statusCode(200)
                .body("state", equalTo("JOINING"))
                .body("reason", containsString("production: " + cause))
                .body("reason", containsString("(key " + GitSshAgentResource.KEY_FILE + ")")));

        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            ConsumerTask<String, String> masters = AgentFlowTest.fromStart(companion, Topics.MASTERS);
            try {
                // Retried (1s, then 2s): several JOINING announcements carry the cause, none says READY.
                await().atMost(Duration.ofSeconds(60)).until(() -> announcements(masters).stream()
                        .filter(a -> a.reason() != null && a.reason().contains(cause)).count() >= 3);
                assertThat(announcements(masters)).extracting(MasterAnnouncement::state)
                        .containsOnly(MasterState.JOINING);
                assertThat(GitSshAgentResource.ENVIRONMENTS.resolve("production")).doesNotExist();

                Files.copy(GitSshAgentResource.goodKey, GitSshAgentResource.KEY_FILE,
                        StandardCopyOption.REPLACE_EXISTING);

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/agent").then()
                        .body("state", equalTo("READY"))
                        .body("reason", nullValue())
                        .body("environments", hasKey("production")));
                assertThat(GitSshAgentResource.ENVIRONMENTS.resolve("production/modules/motd/manifests/init.pp"))
                        .hasContent("class motd { }");
                await().atMost(Duration.ofSeconds(30)).until(() -> announcements(masters).stream()
                        .anyMatch(a -> a.state() == MasterState.READY && a.reason() == null));
            } finally {
                masters.stop();
            }
        }
    }
}
