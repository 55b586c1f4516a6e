package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' read API and live stream, fed by records put on the topics as the other services would. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class FleetViewApiTest {

    private static final String TOKEN = "Bearer api-test-token";
    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    @InjectKafkaBroker
    KafkaBroker broker;

    @TestHTTPResource("/api/v1/events")
    URI events;

    private KafkaCompanion companion;
    private final String master = "cm-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void mastersShowTheLatestStatusAndForgetADecommissionedOne() {
        produce(Topics.MASTER_STATUS, master, EventCodec.encodeToString(status(Health.UP, "healthy")));
        produce(Topics.MASTER_STATUS, master, EventCodec.encodeToString(status(Health.DOWN, "connection refused")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .get("/api/v1/masters").then().statusCode(200)
                .body("masters.find { it.masterId == '" + master + "' }.health", equalTo("DOWN"))
                .body("masters.find { it.masterId == '" + master + "' }.reason", equalTo("connection refused"))
                .body("masters.find { it.masterId == '" + master + "' }.routable", equalTo(false)));

        produce(Topics.MASTER_STATUS, master, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().header("Authorization", TOKEN)
                .get("/api/v1/masters").jsonPath().getList("masters.masterId", String.class)).doesNotContain(master));
    }

    @Test
    void loadBalancersShowTheServingSetAndTheChangeLog() {
        String lbId = "lb-" + UUID.randomUUID().toString().substring(0, 6);
        produce(Topics.LB_CHANGES, lbId, EventCodec.encodeToString(change(lbId, 1, LbResult.APPLIED)));
        produce(Topics.LB_CHANGES, lbId, EventCodec.encodeToString(change(lbId, 2, LbResult.REJECTED)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath body = given().header("Authorization", TOKEN).get("/api/v1/load-balancers").then()
                    .statusCode(200).extract().jsonPath();
            String entry = "loadBalancers.find { it.latest.lbId == '" + lbId + "' }";
            assertThat(body.getString(entry + ".latest.result")).isEqualTo("REJECTED");
            assertThat(body.getList(entry + ".changes.revision", Integer.class)).containsExactly(2, 1);
            assertThat(body.getList(entry + ".changes[1].backends.masterId", String.class)).containsExactly(master);
        });
    }

    @Test
    void recentDeploysAreFilteredByEnvironmentAndLimited() {
        String environment = "recent_" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        DeployRequest older = DeployRequest.environment(environment, environment, "puppet", null, SHA,
                Provider.GITHUB, now.minusSeconds(5));
        DeployRequest newer = DeployRequest.environment(environment, environment, "puppet", null, SHA,
                Provider.GITHUB, now);
        produce(Topics.DEPLOY_REQUESTS, older.key(), EventCodec.encodeToString(older));
        produce(Topics.DEPLOY_REQUESTS, newer.key(), EventCodec.encodeToString(newer));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .queryParam("environment", environment).get("/api/v1/deploys").then().statusCode(200)
                .body("deploys.requestId", equalTo(List.of(newer.requestId().toString(),
                        older.requestId().toString())))
                .body("deploys[0].request.environment", equalTo(environment)));
        given().header("Authorization", TOKEN).queryParam("environment", environment).queryParam("limit", 1)
                .get("/api/v1/deploys").then().statusCode(200)
                .body("deploys.requestId", equalTo(List.of(newer.requestId().toString())));
        given().header("Authorization", TOKEN).get("/api/v1/deploys").then().statusCode(200)
                .body("deploys.requestId", hasItem(newer.requestId().toString()));
        given().header("Authorization", TOKEN).queryParam("limit", 201).get("/api/v1/deploys").then()
                .statusCode(400).body("error", equalTo("limit must be between 1 and 200"));
    }

    @Test
    void everyReadEndpointNeedsTheToken() {
        for (String path : List.of("/api/v1/masters", "/api/v1/load-balancers", "/api/v1/deploys",
                "/api/v1/events")) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
        }
    }

    @Test
    void theEventStreamCarriesRecordsReadAfterItOpened() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(events).header("Authorization", TOKEN).build();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = response.get(30, TimeUnit.SECONDS);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> {
            try {
                open.body().forEach(lines::add);
            } catch (UncheckedIOException closedByTheTest) {
                // the stream ends when the test closes it
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, "", "connected");

            produce(Topics.MASTER_STATUS, master, EventCodec.encodeToString(status(Health.DOWN, "probe timed out")));

            awaitLine(lines, "event", "master-status");
            String data = field(lines.poll(30, TimeUnit.SECONDS), "data");
            assertThat(data).startsWith("{").contains("\"masterId\":\"" + master + "\"")
                    .contains("\"health\":\"DOWN\"").contains("\"reason\":\"probe timed out\"");
        } finally {
            open.body().close();
        }
    }

    /** Waits for a line with this field and value; a comment is the field "" (server-sent events' syntax). */
    private static void awaitLine(BlockingQueue<String> lines, String field, String value)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                if (value.equals(field(line, field))) {
                    return;
                }
            }
        }
        throw new AssertionError("no " + field + " " + value + " on the event stream within 30 s; saw " + seen);
    }

    /** The value of {@code field} on this line (one space after the colon is not part of it), else null. */
    private static String field(String line, String field) {
        if (line == null || !line.startsWith(field + ":")) {
            return null;
        }
        String value = line.substring(field.length() + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private MasterStatus status(Health health, String reason) {
        return new MasterStatus(master, MasterRole.COMPILE, master + ":8140", health, health == Health.UP, List.of(),
                health == Health.UP, false, reason, health == Health.UP ? 0 : 3, 12L, Instant.now());
    }

    private LbConfigApplied change(String lbId, long revision, LbResult result) {
        return new LbConfigApplied(lbId, "nginx", revision, List.of(new LbBackend(master, master + ":8140", false)),
                result, result == LbResult.REJECTED ? "empty backend set" : null, "sha-" + revision, Instant.now());
    }

    private void produce(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }
}
