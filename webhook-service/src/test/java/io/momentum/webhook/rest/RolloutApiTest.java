package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.momentum.webhook.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FLEET and CANARY rollouts in the status API and in a request's wait, against two simulated agents that stage and
 * switch, a simulated planner and a simulated rollout coordinator publishing activations on the embedded broker.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RolloutApiTest {

    private static final String TOKEN = "Bearer api-test-token";

    @InjectKafkaBroker
    KafkaBroker broker;

    private KafkaCompanion companion;
    private final String cmA = "cm-a-" + UUID.randomUUID().toString().substring(0, 6);
    private final String cmB = "cm-b-" + UUID.randomUUID().toString().substring(0, 6);
    private final String environment = "ro_" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void agentsAnnounceThemselves() {
        companion = new KafkaCompanion(broker.bootstrapServers());
        announce(cmA);
        announce(cmB);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/v1/environments").then()
                .statusCode(200).body("readyMasters", hasItems(cmA, cmB)));
    }

    @AfterEach
    void agentsAreDecommissioned() {
        produce(Topics.MASTERS, cmA, null);
        produce(Topics.MASTERS, cmB, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api().get("/api/v1/environments")
                .jsonPath().getList("readyMasters", String.class)).doesNotContain(cmA, cmB));
        companion.close();
    }

    @Test
    void aCanaryActivationShowsInTheEnvironmentsWithEachMastersPlace() {
        DeployPlan plan = plan(UUID.randomUUID(), Rollout.CANARY);
        produce(Topics.DEPLOY_PLANS, plan.key(), EventCodec.encodeToString(plan));
        result(plan, cmA, DeployStatus.STAGED);
        result(plan, cmB, DeployStatus.STAGED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(row().getList(
                "masters.findAll { it.masterId in ['" + cmA + "', '" + cmB + "'] }.planState"))
                .containsExactly("STAGED", "STAGED"));
        assertThat(row().getMap("rollout")).containsEntry("mode", "CANARY").containsEntry("phase", null);

        Activation canary = new Activation(plan.requestId(), environment, plan.digest(), Activation.Phase.CANARY,
                List.of(cmA), "canary " + cmA, Instant.now());
        produce(Topics.ROLLOUTS, canary.key(), EventCodec.encodeToString(canary));
        result(plan, cmA, DeployStatus.SUCCEEDED);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(row().getString("rollout.phase"))
                .isEqualTo("CANARY"));
        JsonPath row = row();
        assertThat(row.getString("rollout.digest")).isEqualTo(plan.digest());
        assertThat(row.getList("rollout.masters", String.class)).containsExactly(cmA);
        assertThat(row.getString("rollout.reason")).isEqualTo("canary " + cmA);
        assertThat(row.getString("rollout.at")).isNotNull();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cell(cmA))
                .containsEntry("planState", "LIVE").containsEntry("inSync", true));
        assertThat(cell(cmB)).containsEntry("planState", "STAGED").containsEntry("status", "STAGED")
                .containsEntry("deployedDigest", plan.digest()).containsEntry("inSync", false);
        api().get("/api/v1/deploys/" + plan.requestId()).then().statusCode(200)
                .body("complete", equalTo(false))
                .body("outcome", equalTo("PENDING"))
                .body("pendingMasters", hasItems(cmB));
    }

    /** The coordinator stopped the rollout: the wait ends at once with FAILED, not at the timeout. */
    @Test
    void aHaltedRolloutEndsTheWaitWithFailed() {
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> api().contentType("application/json")
                .body("{\"environments\": [\"" + environment + "\"], \"wait\": true, \"timeout\": 600}")
                .post("/api/v1/deploys").then().statusCode(200).extract().jsonPath());
        DeployRequest request = await().atMost(Duration.ofSeconds(30)).until(this::request, r -> r != null);
        DeployPlan plan = plan(request.requestId(), Rollout.CANARY);
        produce(Topics.DEPLOY_PLANS, plan.key(), EventCodec.encodeToString(plan));
        result(plan, cmA, DeployStatus.STAGED);
        result(plan, cmB, DeployStatus.STAGED);
        Activation canary = new Activation(plan.requestId(), environment, plan.digest(), Activation.Phase.CANARY,
                List.of(cmA), null, Instant.now());
        produce(Topics.ROLLOUTS, canary.key(), EventCodec.encodeToString(canary));
        result(plan, cmA, DeployStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/v1/deploys/" + plan.requestId())
                .then().statusCode(200).body("pendingMasters", contains(cmB)));
        assertThat(answer).isNotDone();

        String reason = cmA + ": Puppet Server unhealthy during the soak";
        Activation halted = new Activation(plan.requestId(), environment, plan.digest(), Activation.Phase.HALTED,
                List.of(cmA), reason, Instant.now());
        produce(Topics.ROLLOUTS, halted.key(), EventCodec.encodeToString(halted));

        JsonPath body = answer.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.getString("requests[0].outcome")).isEqualTo("FAILED");
        assertThat(body.getString("requests[0].error")).isEqualTo(reason);
        assertThat(body.getList("requests[0].pendingMasters")).isEmpty();
        assertThat(body.getString("requests[0].rollouts[0].phase")).isEqualTo("HALTED");
        assertThat(body.getList("requests[0].rollouts[0].masters", String.class)).containsExactly(cmA);
        assertThat(body.getList("requests[0].rollouts[0].stayedMasters", String.class)).contains(cmB)
                .doesNotContain(cmA);
        JsonPath known = api().get("/api/v1/deploys/" + plan.requestId()).then().statusCode(200).extract().jsonPath();
        assertThat(known.getString("outcome")).isEqualTo("FAILED");
        assertThat(known.getString("error")).isEqualTo(reason);
        assertThat(row().getString("rollout.phase")).isEqualTo("HALTED");
        assertThat(cell(cmB)).containsEntry("planState", "STAGED");
    }

    private static RequestSpecification api() {
        return given().header("Authorization", TOKEN);
    }

    private JsonPath row() {
        return new JsonPath(api().get("/api/v1/environments").then().statusCode(200).extract().asString())
                .setRootPath("environments.find { it.environment == '" + environment + "' }");
    }

    private Map<String, Object> cell(String masterId) {
        return row().getMap("masters.find { it.masterId == '" + masterId + "' }");
    }

    private DeployRequest request() {
        return TopicRecords.deployRequests(broker.bootstrapServers(),
                r -> (DeployRequest.ENVIRONMENT_KEY_PREFIX + environment).equals(r.key()))
                .stream().map(TopicRecords::decode).findFirst().orElse(null);
    }

    /** The planner's plan of this test's environment for a request, with one Forge module. */
    private DeployPlan plan(UUID requestId, Rollout rollout) {
        return DeployPlan.planned(requestId, environment, "puppet", environment, "ab".repeat(20),
                List.of(new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.FORGE, "puppetlabs-stdlib",
                        "9.7.0", null, "cd".repeat(32), false)), rollout, Instant.now());
    }

    private void result(DeployPlan plan, String masterId, DeployStatus status) {
        Instant now = Instant.now();
        DeployResult result = DeployResult.of(plan.requestId(), masterId, environment, plan.commit(), status,
                now.minusSeconds(1), now, new ModuleCounts(1, 0), null).withPlanDigest(plan.digest());
        produce(Topics.DEPLOY_RESULTS, result.key(), EventCodec.encodeToString(result));
    }

    private void announce(String masterId) {
        Instant now = Instant.now();
        produce(Topics.MASTERS, masterId, EventCodec.encodeToString(new MasterAnnouncement(masterId,
                MasterRole.COMPILE, "https://" + masterId + ".example.net:8140", masterId + ":8140",
                MasterState.READY, "test", now, now, 10_000)));
    }

    private void produce(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }
}
