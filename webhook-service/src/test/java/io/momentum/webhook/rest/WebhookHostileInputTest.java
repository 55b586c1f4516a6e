package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.HostileHttp;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP against every endpoint of webhook-service ({@code /payload}, {@code /module}, each {@code /api/v1}
 * call): oversized headers and bodies, a trickled body, wrong content types, JSON nested thousands deep, control and
 * bidi characters in branch, environment and module names, path traversal. Each is refused with a 4xx (a JSON
 * {@code error} where the endpoint is reached) and nothing reaches momentum.deploy-requests or
 * momentum.deploy-plans: the service answers only after Kafka acknowledged, so what is not on the topics once the
 * answer is in was not published.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WebhookHostileInputTest {

    private static final String TOKEN = "Bearer api-test-token";
    private static final List<String> POSTS = List.of("/payload", "/module", "/api/v1/deploys",
            "/api/v1/environments/production/rollback");

    @InjectKafkaBroker
    KafkaBroker broker;

    private int requestsBefore() {
        return TopicRecords.deployRequests(broker.bootstrapServers(), r -> true).size();
    }

    private void nothingPublishedSince(int requests) {
        assertThat(TopicRecords.deployRequests(broker.bootstrapServers(), r -> true)).hasSize(requests);
        assertThat(TopicRecords.deployPlans(broker.bootstrapServers(), "production")).isEmpty();
    }

    /** A signed GitHub push of {@code body}; the git host's delivery id is {@code deliveryId}. */
    private static io.restassured.response.Response githubPush(String path, byte[] body, String deliveryId) {
        return given().headers(Deliveries.headers("github", "push", body, deliveryId)).contentType("application/json")
                .body(body).post(path);
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    @Test
    void oversizedHeadersAre431Everywhere() {
        int requests = requestsBefore();
        for (String path : List.of("/payload", "/module", "/api/v1/deploys", "/api/v1/environments",
                "/api/v1/environments/production/rollback")) {
            HostileHttp.Answer answer = HostileHttp.oversizedHeader(RestAssured.port, "POST", path, 64 * 1024);
            assertThat(answer.status()).as(path).isEqualTo(431);
        }
        nothingPublishedSince(requests);
    }

    @Test
    void oversizedBodiesAre413Everywhere() {
        int requests = requestsBefore();
        byte[] body = new byte[1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        for (String path : POSTS) {
            String deliveryId = UUID.randomUUID().toString();
            given().headers(Deliveries.headers("github", "push", body, deliveryId)).header("Authorization", TOKEN)
                    .contentType("application/json").body(body).post(path).then().statusCode(413);
        }
        nothingPublishedSince(requests);
    }

    @Test
    void aTrickledBodyIsCutOffWith408() {
        int requests = requestsBefore();
        byte[] body = Deliveries.payload("github", "push", "slow_" + UUID.randomUUID().toString().substring(0, 8),
                UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8);
        String headers = "Content-Type: application/json\r\nAuthorization: " + TOKEN + "\r\n";
        for (String path : POSTS) {
            // One byte every 200 ms would take minutes; %test.momentum.http.body-timeout is 2 s.
            HostileHttp.Answer answer = HostileHttp.slowBody(RestAssured.port, "POST", path, headers, body,
                    Duration.ofMillis(200), Duration.ofSeconds(60));
            assertThat(answer.status()).as(path).isEqualTo(408);
            assertThat(answer.raw()).as(path).contains("did not arrive within 2 s");
            assertThat(answer.took()).as(path).isLessThan(Duration.ofSeconds(30));
        }
        nothingPublishedSince(requests);
    }

    @Test
    void wrongContentTypesAre415() {
        int requests = requestsBefore();
        byte[] body = Deliveries.payload("github", "push").getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("/payload", "/module", "/api/v1/deploys")) {
            for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x")) {
                given().headers(Deliveries.headers("github", "push", body, UUID.randomUUID().toString()))
                        .header("Authorization", TOKEN).contentType(type).body(body).post(path).then()
                        .statusCode(415);
            }
        }
        // A rollback's body is optional and read as JSON whatever its declared type.
        given().header("Authorization", TOKEN).contentType("text/plain").body("<plan/>")
                .post("/api/v1/environments/production/rollback").then().statusCode(400)
                .body("error", containsString("malformed JSON"));
        nothingPublishedSince(requests);
    }

    @Test
    void deeplyNestedJsonIs400NotAStackOverflow() {
        int requests = requestsBefore();
        String deep = nested(5_000);
        for (String path : List.of("/payload", "/module")) {
            byte[] body = deep.getBytes(StandardCharsets.UTF_8);
            githubPush(path, body, UUID.randomUUID().toString()).then().statusCode(400)
                    .body("error", containsString("malformed JSON"));
            byte[] array = ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8);
            githubPush(path, array, UUID.randomUUID().toString()).then().statusCode(400)
                    .body("error", notNullValue());
        }
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"environments\": [" + "[".repeat(5_000) + "]".repeat(5_000) + "]}")
                .post("/api/v1/deploys").then().statusCode(400).body("error", containsString("malformed JSON"));
        given().header("Authorization", TOKEN).contentType("application/json").body(nested(5_000))
                .post("/api/v1/environments/production/rollback").then().statusCode(400)
                .body("error", containsString("malformed JSON"));
        nothingPublishedSince(requests);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void controlAndBidiCharactersInBranchNamesAreRefused() {
        int requests = requestsBefore();
        for (String branch : List.of("ma\\u0000in", "feature\\nx", "tab\\tx", "del\\u007fx", "prod\\u202euction",
                "zero\\u200bwidth", "esc\\u001b[31mred")) {
            String deliveryId = UUID.randomUUID().toString();
            byte[] body = Deliveries.payload("github", "push", branch, deliveryId).getBytes(StandardCharsets.UTF_8);
            githubPush("/payload", body, deliveryId).then().statusCode(400).contentType("application/json")
                    .body("error", containsString("not a valid git ref name"));
        }
        nothingPublishedSince(requests);
    }

    @Test
    void unicodeBranchNamesAreCorrectedAsR10kDoes() {
        String deliveryId = UUID.randomUUID().toString();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        byte[] body = Deliveries.payload("github", "push", "caf\u00e9_" + suffix, deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        githubPush("/payload", body, deliveryId).then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("env:caf__" + suffix));
    }

    @Test
    void hostileModuleNamesAreRefused() {
        int requests = requestsBefore();
        for (String name : List.of("../../etc", "..", "a/b", "mod\u0000ule", "mod\nule", "\u202emodule", "ÿ")) {
            String deliveryId = UUID.randomUUID().toString();
            byte[] body = Deliveries.payload("gitlab", "push").getBytes(StandardCharsets.UTF_8);
            given().headers(Deliveries.headers("gitlab", "push", body, deliveryId)).contentType("application/json")
                    .queryParam("module_name", name).body(body).post("/module").then().statusCode(400)
                    .contentType("application/json").body("error", notNullValue());
        }
        for (String repository : List.of("modules/puppet-..", "modules/puppet-a%2Fb", "modules/puppet-x\\u0000y")) {
            String deliveryId = UUID.randomUUID().toString();
            byte[] body = Deliveries.payload("gitlab", "push").replace("puppet/control", repository)
                    .getBytes(StandardCharsets.UTF_8);
            given().headers(Deliveries.headers("gitlab", "push", body, deliveryId)).contentType("application/json")
                    .body(body).post("/module").then().statusCode(400).body("error", notNullValue());
        }
        nothingPublishedSince(requests);
    }

    @Test
    void hostileEnvironmentNamesInTheApiAreRefused() {
        int requests = requestsBefore();
        for (String environment : List.of("../../etc", "..", "prod\\u0000", "prod\\nuction", "\\u202eprod",
                "a/b", "caf\u00e9")) {
            given().header("Authorization", TOKEN).contentType("application/json")
                    .body("{\"environments\": [\"" + environment + "\"]}").post("/api/v1/deploys").then()
                    .statusCode(400).body("error", notNullValue());
        }
        for (String environment : List.of("..%2F..%2Fetc", "%2e%2e", "prod%00", "prod%0Auction", "%E2%80%AEprod")) {
            given().header("Authorization", TOKEN).urlEncodingEnabled(false)
                    .post("/api/v1/environments/" + environment + "/rollback").then()
                    .statusCode(anyOf(equalTo(400), equalTo(404)));
            given().header("Authorization", TOKEN).urlEncodingEnabled(false)
                    .delete("/api/v1/environments/" + environment + "/pin").then()
                    .statusCode(anyOf(equalTo(400), equalTo(404)));
        }
        given().header("Authorization", TOKEN).urlEncodingEnabled(false).get("/api/v1/deploys/..%2F..%2Fetc")
                .then().statusCode(anyOf(equalTo(400), equalTo(404)));
        given().header("Authorization", TOKEN).get("/api/v1/deploys/not-a-uuid").then().statusCode(400)
                .body("error", containsString("UUID"));
        nothingPublishedSince(requests);
    }

    @Test
    void anOversizedOrControlCharacterTokenIsJust401() {
        given().header("Authorization", "Bearer " + "x".repeat(8 * 1024)).get("/api/v1/environments").then()
                .statusCode(401).body("error", equalTo("a valid bearer token is required"));
        given().header("Authorization", "Bearer api-test-token\u0001").get("/api/v1/environments").then()
                .statusCode(anyOf(equalTo(400), equalTo(401)));
    }
}
