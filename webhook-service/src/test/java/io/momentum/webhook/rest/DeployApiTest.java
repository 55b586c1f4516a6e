package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.webhook.TopicRecords;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deploy API against two simulated agents that announce themselves and publish results via Kafka. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class DeployApiTest {

    private static final String TOKEN = "Bearer api-test-token";
    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    @InjectKafkaBroker
    KafkaBroker broker;

    private KafkaCompanion companion;
    private final String cmA = "cm-a-" + UUID.randomUUID().toString().substring(0, 6);
    private final String cmB = "cm-b-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void agentsAnnounceThemselves() {
        companion = new KafkaCompanion(broker.bootstrapServers());
        announce(cmA, MasterState.READY);
        announce(cmB, MasterState.READY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .get("/api/v1/environments").then().statusCode(200).body("readyMasters", hasItems(cmA, cmB)));
    }

    @AfterEach
    void agentsAreDecommissioned() {
        produce(Topics.MASTERS, cmA, null);
        produce(Topics.MASTERS, cmB, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().header("Authorization", TOKEN)
                .get("/api/v1/environments").jsonPath().getList("readyMasters", String.class))
                .doesNotContain(cmA, cmB));
        companion.close();
    }

    @Test
    void waitAnswersWithEveryReadyMastersResult() {
        String environment = "api_" + UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"" + environment + "\"], \"wait\": true, \"timeout\": 60}")
                .post("/api/v1/deploys").then().statusCode(200).extract().jsonPath());

        DeployRequest request = await().atMost(Duration.ofSeconds(30)).until(() -> requestFor(environment),
                r -> r != null);
        assertThat(request.kind()).isEqualTo(DeployKind.ENVIRONMENT);
        assertThat(request.provider().id()).isEqualTo("manual");
        result(request, cmA, DeployStatus.SUCCEEDED, null);
        assertThat(answer).isNotDone();
        result(request, cmB, DeployStatus.FAILED, "Puppetfile: module stdlib not found");

        JsonPath body = answer.join();
        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.getString("requestId")).isEqualTo(request.requestId().toString());
        assertThat(body.getList("requests[0].results.masterId", String.class)).containsExactlyInAnyOrder(cmA, cmB);
        assertThat(body.getList("requests[0].results.status", String.class))
                .containsExactlyInAnyOrder("SUCCEEDED", "FAILED");

        given().header("Authorization", TOKEN).get("/api/v1/deploys/" + request.requestId()).then()
                .statusCode(200).body("complete", equalTo(true))
                .body("request.environment", equalTo(environment))
                .body("results.error", hasItems("Puppetfile: module stdlib not found"));

        JsonPath matrix = given().header("Authorization", TOKEN).get("/api/v1/environments").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> row = matrix.getMap("environments.find { it.environment == '" + environment + "' }");
        assertThat(row).containsEntry("desiredRequestId", request.requestId().toString());
        List<Map<String, Object>> cells = matrix.getList(
                "environments.find { it.environment == '" + environment + "' }.masters");
        assertThat(cells).anySatisfy(c -> {
            assertThat(c).containsEntry("masterId", cmA).containsEntry("deployedCommit", SHA)
                    .containsEntry("status", "SUCCEEDED").containsEntry("inSync", true);
        });
        assertThat(cells).anySatisfy(c -> assertThat(c).containsEntry("masterId", cmB)
                .containsEntry("status", "FAILED").containsEntry("inSync", false));
    }

    /** No master deploys a plan that failed, so the wait ends with the planner's error instead of the timeout. */
    @Test
    void aFailedPlanAnswersTheWaitAtOnceWithThePlannersError() {
        String environment = "broken_" + UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"" + environment + "\"], \"wait\": true, \"timeout\": 600}")
                .post("/api/v1/deploys").then().statusCode(200).extract().jsonPath());
        DeployRequest request = await().atMost(Duration.ofSeconds(30)).until(() -> requestFor(environment),
                r -> r != null);
        String error = "Puppetfile line 4: mod 'apache': ref nope not found in https://git.example.net/apache.git";
        DeployPlan failed = DeployPlan.failed(request.requestId(), environment, request.source(), request.branch(),
                null, error, Instant.now());
        produce(Topics.DEPLOY_PLANS, failed.key(), EventCodec.encodeToString(failed));

        JsonPath body = answer.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.getString("requests[0].error")).isEqualTo(error);
        assertThat(body.getString("requests[0].plans[0].status")).isEqualTo("FAILED");
        assertThat(body.getList("requests[0].pendingMasters")).isEmpty();
        given().header("Authorization", TOKEN).get("/api/v1/deploys/" + request.requestId()).then()
                .statusCode(200).body("complete", equalTo(true)).body("error", equalTo(error));
    }

    @Test
    void waitThatTimesOutSaysWhoIsMissing() {
        String environment = "slow_" + UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"" + environment + "\"], \"wait\": true, \"timeout\": \"PT3S\"}")
                .post("/api/v1/deploys").then().statusCode(202).extract().jsonPath());
        DeployRequest request = await().atMost(Duration.ofSeconds(30)).until(() -> requestFor(environment),
                r -> r != null);
        result(request, cmA, DeployStatus.SUCCEEDED, null);
        JsonPath body = answer.join();
        assertThat(body.getBoolean("complete")).isFalse();
        assertThat(body.getList("requests[0].pendingMasters", String.class)).containsExactly(cmB);
    }

    @Test
    void fullSyncWithoutWaitIsAcceptedAtOnce() {
        String requestId = given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"all\": true}").post("/api/v1/deploys").then().statusCode(202).extract().path("requestId");
        List<ConsumerRecord<String, String>> records = TopicRecords.deployRequests(broker.bootstrapServers(),
                r -> r.value() != null && r.value().contains(requestId));
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(DeployRequest.FULL_SYNC_KEY);
            assertThat(TopicRecords.decode(r).kind()).isEqualTo(DeployKind.FULL_SYNC);
        });
    }

    /**
     * What the planner and the agents do for a full sync that changes nothing: the planner answers with the same
     * plan under the request's id, every master answers it unchanged, and the wait ends with "nothing to do".
     */
    @Test
    void aFullSyncThatChangesNothingCompletesSayingSoAndEveryMasterIsAlreadyCurrent() {
        String environment = "current_" + UUID.randomUUID().toString().substring(0, 8);
        DeployPlan deployed = DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, SHA,
                List.of(), Rollout.IMMEDIATE, Instant.now());
        produce(Topics.DEPLOY_PLANS, deployed.key(), EventCodec.encodeToString(deployed));
        Instant asked = Instant.now();
        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", TOKEN).contentType("application/json")
                .body("{\"all\": true, \"wait\": true, \"timeout\": 60}")
                .post("/api/v1/deploys").then().statusCode(200).extract().jsonPath());
        DeployRequest sync = await().atMost(Duration.ofSeconds(30)).until(() -> TopicRecords.deployRequests(
                broker.bootstrapServers(), r -> DeployRequest.FULL_SYNC_KEY.equals(r.key())).stream()
                .map(TopicRecords::decode).filter(r -> !r.requestedAt().isBefore(asked)).findFirst().orElse(null),
                r -> r != null);
        DeployPlan again = DeployPlan.planned(sync.requestId(), environment, "control", environment, SHA,
                List.of(), Rollout.IMMEDIATE, Instant.now());
        produce(Topics.DEPLOY_PLANS, again.key(), EventCodec.encodeToString(again));
        for (String master : List.of(cmA, cmB)) {
            DeployResult current = DeployResult.of(sync.requestId(), master, environment, SHA,
                    DeployStatus.SUCCEEDED, Instant.now(), Instant.now(), new ModuleCounts(0, 0), null)
                    .withPlanDigest(again.digest()).asUnchanged();
            produce(Topics.DEPLOY_RESULTS, current.key(), EventCodec.encodeToString(current));
        }

        JsonPath body = answer.orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.getString("requests[0].outcome")).isEqualTo("COMPLETE");
        assertThat(body.getString("requests[0].summary"))
                .isEqualTo("nothing to do: " + environment + " already at plan " + deployed.digest());
        assertThat(body.getList("requests[0].results.unchanged", Boolean.class)).containsExactly(true, true);
    }

    @Test
    void aModuleRequestNoPlanUsesIsCompleteAtOnce() {
        DeployRequest module = DeployRequest.module("unused_" + UUID.randomUUID().toString().substring(0, 8), null,
                null, Provider.GITHUB, Instant.now());
        produce(Topics.DEPLOY_REQUESTS, module.key(), EventCodec.encodeToString(module));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .get("/api/v1/deploys/" + module.requestId()).then().statusCode(200)
                .body("complete", equalTo(true)).body("outcome", equalTo("COMPLETE"))
                .body("summary", equalTo("nothing to do: no environment's plan uses module " + module.module())));
    }

    @Test
    void refusesWithoutTokenAndBadCommands() {
        given().contentType("application/json").body("{\"all\": true}").post("/api/v1/deploys")
                .then().statusCode(401);
        given().header("Authorization", "Bearer nope").get("/api/v1/environments").then().statusCode(401);
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"../etc\"]}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("environment name"));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"production\"], \"all\": true}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("either"));
        given().header("Authorization", TOKEN).contentType("application/json").body("{nope")
                .post("/api/v1/deploys").then().statusCode(400).body("error", containsString("malformed JSON"));
        given().header("Authorization", TOKEN).get("/api/v1/deploys/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anEnvironmentNoSourceDeploysIsRefusedAndAMappedOneRepeatsItsBranch() {
        String ignored = "wip_" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"" + ignored + "\"]}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("no configured source deploys environment "
                        + ignored)).body("error", containsString("ignore pattern"));
        assertThat(requestFor(ignored)).isNull();

        String requestId = given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [\"production\"]}").post("/api/v1/deploys").then().statusCode(202)
                .extract().path("requestId");
        List<ConsumerRecord<String, String>> records = TopicRecords.deployRequests(broker.bootstrapServers(),
                r -> r.value() != null && r.value().contains(requestId));
        assertThat(records).singleElement().satisfies(r -> {
            DeployRequest request = TopicRecords.decode(r);
            assertThat(request.environment()).isEqualTo("production");
            assertThat(request.branch()).isEqualTo("main");
            assertThat(request.source()).isEqualTo("puppet");
        });
    }

    @Test
    void wrongValuesAreRefusedInTheErrorShape() {
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": \"production\"}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("malformed JSON"));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"all\": true, \"wait\": true, \"timeout\": \"soon\"}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("ISO-8601"));
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"all\": true, \"wait\": true, \"timeout\": -1}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("positive"));
        given().header("Authorization", TOKEN).contentType("application/json").body("{}").post("/api/v1/deploys")
                .then().statusCode(400).body("error", containsString("either"));
    }

    private DeployRequest requestFor(String environment) {
        return TopicRecords.deployRequests(broker.bootstrapServers(), r -> ("env:" + environment).equals(r.key()))
                .stream().map(TopicRecords::decode).findFirst().orElse(null);
    }

    private void announce(String masterId, MasterState state) {
        Instant now = Instant.now();
        produce(Topics.MASTERS, masterId, EventCodec.encodeToString(new MasterAnnouncement(masterId,
                MasterRole.COMPILE, "https://" + masterId + ".example.net:8140", masterId + ":8140", state, "test",
                now, now, 10_000)));
    }

    private void result(DeployRequest request, String masterId, DeployStatus status, String error) {
        Instant now = Instant.now();
        DeployResult result = DeployResult.of(request.requestId(), masterId, request.environment(),
                status == DeployStatus.SUCCEEDED ? SHA : null, status, now.minusSeconds(2), now,
                new ModuleCounts(3, 1), error);
        produce(Topics.DEPLOY_RESULTS, result.key(), EventCodec.encodeToString(result));
    }

    private void produce(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }
}
