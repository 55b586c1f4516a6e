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
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Provider;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plans in the status API, rollbacks and unpins, against two simulated agents and a simulated planner that publish
 * on the embedded broker. Every refusal is checked to publish nothing.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RollbackApiTest {

    private static final String TOKEN = "Bearer api-test-token";

    @InjectKafkaBroker
    KafkaBroker broker;

    private KafkaCompanion companion;
    private final String cmA = "cm-a-" + UUID.randomUUID().toString().substring(0, 6);
    private final String cmB = "cm-b-" + UUID.randomUUID().toString().substring(0, 6);
    private final String environment = "rb_" + UUID.randomUUID().toString().substring(0, 8);

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
    void environmentsShowThePlanAndWhatEachMasterServes() {
        DeployPlan old = plan(1, "puppetlabs-stdlib", "9.6.0");
        DeployPlan current = plan(2, "puppetlabs-stdlib", "9.7.0");
        planned(old);
        planned(current);
        result(current, cmA);
        result(old, cmB);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(row().getList("masters.deployedDigest"))
                .contains(current.digest(), old.digest()));
        JsonPath row = row();
        assertThat(row.getString("plan.status")).isEqualTo("PLANNED");
        assertThat(row.getString("plan.digest")).isEqualTo(current.digest());
        assertThat(row.getString("plan.commit")).isEqualTo(current.commit());
        assertThat(row.getString("plan.branch")).isEqualTo(environment);
        assertThat(row.getString("plan.source")).isEqualTo("puppet");
        assertThat(row.getBoolean("plan.pinned")).isFalse();
        assertThat(row.getString("plan.plannedAt")).isNotNull();
        assertThat(row.getMap("plan.modules[0]")).containsEntry("name", "stdlib").containsEntry("type", "FORGE")
                .containsEntry("version", "9.7.0").containsEntry("sha256", current.modules().get(0).sha256());
        assertThat(row.getList("history.digest", String.class)).containsExactly(current.digest(), old.digest());
        Map<String, Object> a = row.getMap("masters.find { it.masterId == '" + cmA + "' }");
        assertThat(a).containsEntry("deployedDigest", current.digest()).containsEntry("deployedCommit",
                current.commit()).containsEntry("status", "SUCCEEDED").containsEntry("inSync", true);
        assertThat(row.getMap("masters.find { it.masterId == '" + cmB + "' }"))
                .containsEntry("deployedDigest", old.digest()).containsEntry("inSync", false);
    }

    @Test
    void aRollbackReactivatesThePreviousPlanPinnedAndTheNamedOneWaitsForTheMasters() {
        DeployPlan one = plan(1, "puppetlabs-stdlib", "9.6.0");
        DeployPlan two = plan(2, "puppetlabs-stdlib", "9.7.0");
        planned(one);
        planned(two);

        String requestId = api().post(rollbackPath()).then().statusCode(202).body("requests[0].plans[0].digest",
                equalTo(one.digest())).extract().path("requestId");
        List<DeployPlan> published = TopicRecords.deployPlans(broker.bootstrapServers(), environment);
        assertThat(published).hasSize(3);
        DeployPlan rollback = published.get(2);
        assertThat(rollback.requestId()).hasToString(requestId);
        assertThat(rollback).isEqualTo(one.reactivated(rollback.requestId(), rollback.plannedAt()));
        assertThat(rollback.pinned()).isTrue();
        JsonPath row = row();
        assertThat(row.getString("plan.digest")).isEqualTo(one.digest());
        assertThat(row.getBoolean("plan.pinned")).isTrue();
        api().get("/api/v1/deploys/" + requestId).then().statusCode(200).body("complete", equalTo(false))
                .body("plans[0].pinned", equalTo(true));

        CompletableFuture<JsonPath> answer = CompletableFuture.supplyAsync(() -> api().contentType("application/json")
                .body("{\"plan\": \"" + two.digest() + "\", \"wait\": true, \"timeout\": 60}").post(rollbackPath())
                .then().statusCode(200).extract().jsonPath());
        DeployPlan back = await().atMost(Duration.ofSeconds(30)).until(() -> TopicRecords
                .deployPlans(broker.bootstrapServers(), environment), plans -> plans.size() == 4).get(3);
        assertThat(back.digest()).isEqualTo(two.digest());
        assertThat(back.pinned()).isTrue();
        result(back, cmA);
        assertThat(answer).isNotDone();
        result(back, cmB);
        JsonPath body = answer.join();
        assertThat(body.getBoolean("complete")).isTrue();
        assertThat(body.getString("requestId")).isEqualTo(back.requestId().toString());
        assertThat(body.getList("requests[0].results.planDigest", String.class)).containsOnly(two.digest());
        assertThat(row().getList("masters.findAll { it.masterId in ['" + cmA + "', '" + cmB + "'] }.inSync",
                Boolean.class)).containsExactly(true, true);
    }

    @Test
    void anUnpinRequestsTheBranchHeadOfThePinnedPlan() {
        DeployPlan one = plan(1, "puppetlabs-stdlib", "9.6.0");
        planned(one);
        planned(plan(2, "puppetlabs-stdlib", "9.7.0"));
        api().post(rollbackPath()).then().statusCode(202);

        String requestId = api().delete(pinPath()).then().statusCode(202).extract().path("requestId");
        List<DeployRequest> requests = requestsFor(environment);
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.requestId()).hasToString(requestId);
            assertThat(request.kind()).isEqualTo(DeployKind.ENVIRONMENT);
            assertThat(request.branch()).isEqualTo(environment);
            assertThat(request.source()).isEqualTo("puppet");
            assertThat(request.repositoryUrl()).isEqualTo("https://github.com/puppet/control.git");
            assertThat(request.commit()).isNull();
            assertThat(request.provider()).isEqualTo(Provider.MANUAL);
            assertThat(request.pusher()).isEqualTo(DeployApiResource.UNPIN);
        });

        // The planner plans the head: no longer pinned, so a second unpin is refused and publishes nothing.
        planned(plan(3, "puppetlabs-stdlib", "9.8.0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !row().getBoolean("plan.pinned")
                && row().getString("plan.commit").equals(sha(3)));
        api().delete(pinPath()).then().statusCode(409).body("error", equalTo("environment " + environment
                + " is not pinned"));
        assertThat(requestsFor(environment)).hasSize(1);
    }

    @Test
    void everyRefusalHasTheErrorBodyAndPublishesNothing() {
        api().post(rollbackPath()).then().statusCode(404).body("error", equalTo("environment " + environment
                + " has no plan"));
        api().delete(pinPath()).then().statusCode(404).body("error", containsString("has no plan"));

        DeployPlan only = plan(1, "puppetlabs-stdlib", "9.6.0");
        planned(only);
        api().post(rollbackPath()).then().statusCode(409).body("error", containsString("no earlier plan"));
        api().contentType("application/json").body("{\"plan\": \"" + only.digest() + "\"}").post(rollbackPath())
                .then().statusCode(409).body("error", containsString("already the desired plan"));
        api().contentType("application/json").body("{\"plan\": \"" + "ab".repeat(32) + "\"}").post(rollbackPath())
                .then().statusCode(404).body("error", containsString("has no plan " + "ab".repeat(32)));
        api().contentType("application/json").body("{\"plan\": \"HEAD~1\"}").post(rollbackPath())
                .then().statusCode(400).body("error", containsString("64 lowercase hex"));
        api().contentType("application/json").body("{\"plan\": ").post(rollbackPath())
                .then().statusCode(400).body("error", containsString("malformed JSON"));
        api().contentType("application/json").body("[\"" + only.digest() + "\"]").post(rollbackPath())
                .then().statusCode(400).body("error", containsString("malformed JSON"));
        api().contentType("application/json").body("{\"digest\": \"" + only.digest() + "\"}").post(rollbackPath())
                .then().statusCode(400).body("error", containsString("unknown field \"digest\""));
        api().contentType("application/json").body("{\"wait\": true, \"timeout\": \"soon\"}").post(rollbackPath())
                .then().statusCode(400).body("error", containsString("ISO-8601"));
        api().delete(pinPath()).then().statusCode(409).body("error", containsString("is not pinned"));

        // A pinned plan whose source no longer deploys its branch: its head cannot be requested.
        DeployPlan elsewhere = DeployPlan.planned(UUID.randomUUID(), environment, "retired", environment, sha(9),
                List.of(), Rollout.IMMEDIATE, Instant.now()).reactivated(UUID.randomUUID(), Instant.now());
        planned(elsewhere);
        api().delete(pinPath()).then().statusCode(409).body("error", containsString("source retired no longer"));

        assertThat(TopicRecords.deployPlans(broker.bootstrapServers(), environment)).hasSize(2);
        assertThat(requestsFor(environment)).isEmpty();
    }

    @Test
    void withoutAValidTokenNothingIsReadOrPublished() {
        planned(plan(1, "puppetlabs-stdlib", "9.6.0"));
        planned(plan(2, "puppetlabs-stdlib", "9.7.0"));
        DeployPlan pinned = plan(3, "puppetlabs-stdlib", "9.8.0").reactivated(UUID.randomUUID(), Instant.now());
        planned(pinned);
        for (RequestSpecification caller : List.of(given(), given().header("Authorization", "Bearer nope"),
                given().auth().preemptive().basic("deployer", "api-test-token"))) {
            caller.contentType("application/json").body("{nope").post(rollbackPath()).then().statusCode(401)
                    .contentType("application/json").body("error", equalTo("a valid bearer token is required"));
        }
        given().post(rollbackPath()).then().statusCode(401).body("error", equalTo("a valid bearer token is required"));
        given().delete(pinPath()).then().statusCode(401).body("error", equalTo("a valid bearer token is required"));
        given().header("Authorization", "Bearer nope").delete(pinPath()).then().statusCode(401);
        assertThat(TopicRecords.deployPlans(broker.bootstrapServers(), environment)).hasSize(3);
        assertThat(requestsFor(environment)).isEmpty();
    }

    private String rollbackPath() {
        return "/api/v1/environments/" + environment + "/rollback";
    }

    private String pinPath() {
        return "/api/v1/environments/" + environment + "/pin";
    }

    private static RequestSpecification api() {
        return given().header("Authorization", TOKEN);
    }

    private JsonPath row() {
        return new JsonPath(api().get("/api/v1/environments").then().statusCode(200).extract().asString())
                .setRootPath("environments.find { it.environment == '" + environment + "' }");
    }

    /** A plan of this test's environment at the n-th commit, with one Forge module. */
    private DeployPlan plan(int n, String forgeModule, String version) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "puppet", environment, sha(n),
                List.of(new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.FORGE, forgeModule, version,
                        null, String.format("%064x", n), false)), Rollout.IMMEDIATE, Instant.now());
    }

    private static String sha(int n) {
        return String.format("%040x", n);
    }

    /** The planner published the plan, and the service read it. */
    private void planned(DeployPlan plan) {
        produce(Topics.DEPLOY_PLANS, plan.key(), EventCodec.encodeToString(plan));
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/api/v1/deploys/" + plan.requestId())
                .statusCode() == 200);
    }

    private void result(DeployPlan plan, String masterId) {
        Instant now = Instant.now();
        DeployResult result = DeployResult.of(plan.requestId(), masterId, environment, plan.commit(),
                DeployStatus.SUCCEEDED, now.minusSeconds(1), now, new ModuleCounts(1, 0), null)
                .withPlanDigest(plan.digest());
        produce(Topics.DEPLOY_RESULTS, result.key(), EventCodec.encodeToString(result));
    }

    private List<DeployRequest> requestsFor(String name) {
        return TopicRecords.deployRequests(broker.bootstrapServers(),
                r -> (DeployRequest.ENVIRONMENT_KEY_PREFIX + name).equals(r.key()))
                .stream().map(TopicRecords::decode).toList();
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
