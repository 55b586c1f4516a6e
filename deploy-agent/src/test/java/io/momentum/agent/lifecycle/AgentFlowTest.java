package io.momentum.agent.lifecycle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.momentum.agent.schedule.FakeDeployer;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running agent against the embedded broker with the fake deployer: plans in, results out (with the plan's
 * digest and request id), announcements, the operator API. Environment names are unique per test: the application
 * (and its topics) are shared with the other @QuarkusTests.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class AgentFlowTest {

    private static final String MASTER = "test-master";
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    @InjectKafkaBroker
    KafkaBroker broker;

    private KafkaCompanion companion;
    @Inject
    @Identifier("fake")
    FakeDeployer deployer;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterEach
    void disconnect() {
        companion.close();
    }

    private RecordMetadata send(DeployPlan plan) {
        return send(plan.key(), EventCodec.encodeToString(plan));
    }

    private RecordMetadata send(String key, String value) {
        return companion.produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.DEPLOY_PLANS, key, value))
                .awaitCompletion(Duration.ofSeconds(30)).getFirstRecord();
    }

    private DeployResult awaitResult(DeployPlan plan) {
        ConsumerTask<String, String> results = fromStart(companion, Topics.DEPLOY_RESULTS);
        try {
            return await().atMost(Duration.ofSeconds(60)).until(() -> results.getRecords().stream()
                    .map(r -> EventCodec.decode(r.value(), DeployResult.class))
                    .filter(r -> r.requestId().equals(plan.requestId()))
                    .findFirst().orElse(null), r -> r != null);
        } finally {
            results.stop();
        }
    }

    /** Reads a topic from its start by assigning its partitions: no consumer group to join, so no rebalance wait. */
    static ConsumerTask<String, String> fromStart(KafkaCompanion companion, String topic) {
        Map<TopicPartition, Long> start = new HashMap<>();
        for (int partition = 0; partition < 3; partition++) {
            start.put(new TopicPartition(topic, partition), 0L);
        }
        return companion.consumeStrings().fromOffsets(start);
    }

    static DeployPlan plan(String environment, String commit) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, commit, List.of(),
                Rollout.IMMEDIATE, Instant.now());
    }

    @Test
    void announcesJoiningThenReadyAndKeepsHeartbeating() {
        ConsumerTask<String, String> masters = fromStart(companion, Topics.MASTERS);
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<MasterAnnouncement> mine = masters.getRecords().stream()
                        .filter(r -> MASTER.equals(r.key()) && r.value() != null)
                        .map(r -> EventCodec.decode(r.value(), MasterAnnouncement.class)).toList();
                assertThat(mine).extracting(MasterAnnouncement::state).startsWith(MasterState.JOINING)
                        .contains(MasterState.READY);
                List<MasterAnnouncement> ready = mine.stream().filter(a -> a.state() == MasterState.READY)
                        .toList();
                assertThat(ready).as("heartbeats after READY").hasSizeGreaterThanOrEqualTo(2);
                assertThat(ready.get(0).heartbeatIntervalMs()).isEqualTo(1000);
                assertThat(ready.get(0).startedAt()).isEqualTo(mine.get(0).startedAt());
            });
        } finally {
            masters.stop();
        }
    }

    @Test
    void deploysAPlanAndPublishesItsResultWithTheDigestUnderTheMasterKey() {
        DeployPlan plan = plan("flow_production", A);
        send(plan);

        DeployResult result = awaitResult(plan);

        assertThat(result.status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(result.masterId()).isEqualTo(MASTER);
        assertThat(result.commit()).isEqualTo(A);
        assertThat(result.planDigest()).isEqualTo(plan.digest());
        assertThat(result.modules().deployed()).isEqualTo(2);
        assertThat(deployer.isLive(plan)).isTrue();
        ConsumerTask<String, String> keyed = fromStart(companion, Topics.DEPLOY_RESULTS);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> keyed.getRecords().stream()
                    .map(ConsumerRecord::key).anyMatch((MASTER + "/flow_production")::equals));
        } finally {
            keyed.stop();
        }
    }

    @Test
    void aPlanAlreadyLiveIsAnsweredUnchangedSoItsRequestCompletes() {
        DeployPlan plan = plan("flow_rollback", A);
        send(plan);
        assertThat(awaitResult(plan).status()).isEqualTo(DeployStatus.SUCCEEDED);

        DeployPlan again = plan.reactivated(UUID.randomUUID(), Instant.now());
        send(again);

        DeployResult result = awaitResult(again);
        assertThat(result.status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(result.planDigest()).isEqualTo(plan.digest());
        assertThat(result.modules().deployed()).isZero();
    }

    @Test
    void aHostilePlanFailsAndTheAgentKeepsFollowing() {
        // The environment name is valid, so the plan decodes; its branch is what the agent refuses.
        DeployPlan hostile = DeployPlan.planned(UUID.randomUUID(), "flow_hostile", "control", "../../../etc", A,
                List.of(), Rollout.IMMEDIATE, Instant.now());
        DeployPlan next = plan("flow_after_hostile", B);
        send(hostile);
        send(next);

        assertThat(awaitResult(hostile).status()).isEqualTo(DeployStatus.FAILED);
        assertThat(awaitResult(hostile).error()).startsWith("refused:");
        assertThat(awaitResult(next).status()).isEqualTo(DeployStatus.SUCCEEDED);
    }

    @Test
    void aPlanThatFailsValidationIsSkippedAndCountedAndTheAgentKeepsFollowing() {
        DeployPlan hostile = plan("flow_invalid", A);
        DeployPlan next = plan("flow_after_invalid", B);
        send(hostile.key(), EventCodec.encodeToString(hostile).replace("flow_invalid", "../../../etc"));
        send(next);

        assertThat(awaitResult(next).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(deployer.deployedEnvironments()).doesNotContainKey("../../../etc");
        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "momentum_events_skipped_total{reason=\"malformed\",topic=\"" + Topics.DEPLOY_PLANS + "\"}"));
        ConsumerTask<String, String> results = fromStart(companion, Topics.DEPLOY_RESULTS);
        try {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).until(() -> results.getRecords()
                    .stream().map(r -> EventCodec.decode(r.value(), DeployResult.class))
                    .noneMatch(r -> r.requestId().equals(hostile.requestId())));
        } finally {
            results.stop();
        }
    }

    @Test
    void anAbsentPlanPurgesAndAFailedPlanKeepsWhatIsLive() {
        DeployPlan deploy = plan("flow_feature", A);
        send(deploy);
        assertThat(awaitResult(deploy).status()).isEqualTo(DeployStatus.SUCCEEDED);

        send(DeployPlan.failed(UUID.randomUUID(), "flow_feature", "control", "flow_feature", B, "no Puppetfile",
                Instant.now()));
        DeployPlan delete = DeployPlan.absent(UUID.randomUUID(), "flow_feature", "control", "flow_feature",
                Instant.now());
        send(delete);
        assertThat(awaitResult(delete).status()).isEqualTo(DeployStatus.PURGED);
        assertThat(deployer.deployedEnvironments()).doesNotContainKey("flow_feature");
        assertThat(deployer.calls()).filteredOn(call -> call.contains("flow_feature"))
                .containsExactly("deploy:flow_feature@" + A, "purge:flow_feature");
    }

    @Test
    void oneDeployPerEnvironmentAtATimeAndTheNewestWaitingPlanWins() throws Exception {
        FakeDeployer.Gate gate = deployer.gate("flow_slow");
        DeployPlan first = plan("flow_slow", A);
        send(first);
        assertThat(gate.started.await(60, TimeUnit.SECONDS)).isTrue();
        DeployPlan superseded = plan("flow_slow", B);
        DeployPlan newest = plan("flow_slow", C);
        send(superseded);
        send(newest);

        assertThat(awaitResult(superseded).status()).isEqualTo(DeployStatus.SUPERSEDED);
        gate.release.countDown();
        assertThat(awaitResult(first).status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(awaitResult(newest).planDigest()).isEqualTo(newest.digest());
        assertThat(deployer.calls()).filteredOn(call -> call.contains("flow_slow"))
                .containsExactly("deploy:flow_slow@" + A, "deploy:flow_slow@" + C);
    }

    @Test
    void operatorsSeeStateAndDeployedEnvironments() {
        DeployPlan plan = plan("flow_api", B);
        send(plan);
        awaitResult(plan);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/agent").then()
                .statusCode(200)
                .body("masterId", equalTo(MASTER))
                .body("state", equalTo("READY"))
                .body("role", equalTo("COMPILE"))
                .body("backend", equalTo("fake"))
                .body("consuming", equalTo(true))
                .body("environments.flow_api", equalTo(B)));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("momentum_agent_deploys_total{status=\"SUCCEEDED\""))
                .body(containsString("momentum_agent_ready 1.0"));
    }
}
