package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.webhook.Deliveries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The one authentication mechanism as callers see it (token set, no webhook authentication): the API refuses a
 * missing or wrong token with the JSON body before reading any body; the operational endpoints and the open
 * webhooks never judge an Authorization header.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class AuthenticationTest {

    private static final List<String> WRONG = List.of("Bearer nope", "Bearer ", "bearer api-test-token2",
            "Basic %%%", "Basic " + Base64.getEncoder().encodeToString(
                    "a:api-test-token".getBytes(StandardCharsets.UTF_8)), "Digest api-test-token");

    @Test
    void aMissingOrWrongTokenIs401WithTheJsonBody() {
        given().get("/api/v1/environments").then().statusCode(401).contentType("application/json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("a valid bearer token is required"));
        for (String authorization : WRONG) {
            given().header("Authorization", authorization).get("/api/v1/environments").then().statusCode(401)
                    .contentType("application/json").body("error", equalTo("a valid bearer token is required"));
        }
        given().header("Authorization", "Bearer api-test-token").get("/api/v1/environments").then().statusCode(200);
    }

    @Test
    void aRefusedCallIsNeverRead() {
        given().contentType("application/json").body("{nope").post("/api/v1/deploys").then().statusCode(401)
                .body("error", equalTo("a valid bearer token is required"));
        given().header("Authorization", "Bearer nope").contentType("application/json").body("{nope")
                .post("/api/v1/deploys").then().statusCode(401)
                .body("error", equalTo("a valid bearer token is required"));
    }

    /** Right and wrong tokens, refused and accepted calls: no secret appears in any log record. */
    @Test
    void tokensNeverReachTheLog() {
        List<String> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record.getLoggerName() + " " + record.getMessage() + " "
                        + Arrays.toString(record.getParameters()) + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            given().header("Authorization", "Bearer wrong-secret-4711").get("/api/v1/environments").then()
                    .statusCode(401);
            given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "user:basic-secret-4711".getBytes(StandardCharsets.UTF_8))).get("/api/v1/environments").then()
                    .statusCode(401);
            given().header("Authorization", "Bearer api-test-token").contentType("application/json")
                    .body("{\"environments\": [\"production\"]}").post("/api/v1/deploys").then().statusCode(202);
        } finally {
            root.removeHandler(capture);
        }
        assertThat(records).anyMatch(record -> record.contains("manual deploy"));
        assertThat(records).noneMatch(record -> record.contains("api-test-token")
                || record.contains("wrong-secret-4711") || record.contains("basic-secret-4711"));
    }

    @Test
    void healthAndMetricsStayOpen() {
        for (String path : List.of("/q/health/live", "/q/metrics")) {
            given().get(path).then().statusCode(200);
            for (String authorization : WRONG) {
                given().header("Authorization", authorization).get(path).then().statusCode(200);
            }
        }
    }

    @Test
    void openWebhooksLeaveTheAuthorizationHeaderToTheSignatureCheck() {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload("github", "push", "auth_" + deliveryId.substring(0, 8), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(Deliveries.headers("github", "push", body, deliveryId));
        headers.put("Authorization", "Basic %%%");
        given().headers(headers).contentType("application/json").body(body).post("/payload").then().statusCode(202);
    }
}
