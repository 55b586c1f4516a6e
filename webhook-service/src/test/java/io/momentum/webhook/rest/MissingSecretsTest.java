package io.momentum.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Secrets left unset: a provider without a secret is refused unless the operator opted in to unverified deliveries
 * for it; the deploy API without a token refuses every call. The webhooks sit behind basic or bearer authentication
 * here.
 */
@QuarkusTest
@TestProfile(MissingSecretsTest.WithoutSecrets.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class MissingSecretsTest {

    public static class WithoutSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("momentum.webhook.gogs.secret", "", "momentum.webhook.gogs.allow-unverified", "true",
                    "momentum.webhook.gitea.secret", "", "momentum.api.token", "",
                    "momentum.webhook.auth.username", "puppet", "momentum.webhook.auth.password", "s3cret",
                    "momentum.webhook.auth.bearer-token", "hook-token");
        }
    }

    @InjectKafkaBroker
    KafkaBroker broker;

    private static byte[] push(String provider, String deliveryId) {
        return Deliveries.payload(provider, "push", "unverified_" + deliveryId.substring(0, 8), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void optedInProviderIsAcceptedUnsigned() {
        String deliveryId = UUID.randomUUID().toString();
        given().auth().preemptive().basic("puppet", "s3cret")
                .headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", deliveryId))
                .contentType("application/json").body(push("gogs", deliveryId)).post("/payload")
                .then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).hasSize(1);
    }

    @Test
    void providerWithoutSecretIsRefusedAndPublishesNothing() {
        String deliveryId = UUID.randomUUID().toString();
        given().auth().preemptive().basic("puppet", "s3cret")
                .headers(Map.of("X-Gitea-Event", "push", "X-Gitea-Delivery", deliveryId))
                .contentType("application/json").body(push("gitea", deliveryId)).post("/payload")
                .then().statusCode(401).body("error", containsString("no secret is configured for provider gitea"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @Test
    void webhooksNeedTheConfiguredAuthentication() {
        String deliveryId = UUID.randomUUID().toString();
        given().headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", deliveryId))
                .contentType("application/json").body(push("gogs", deliveryId)).post("/payload")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("error", containsString("webhook authentication required"));
        given().auth().preemptive().basic("puppet", "wrong")
                .headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", deliveryId))
                .contentType("application/json").body(push("gogs", deliveryId)).post("/payload")
                .then().statusCode(401);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
    }

    @Test
    void apiWithoutATokenRefusesEveryCall() {
        given().header("Authorization", "Bearer anything").get("/api/v1/environments").then().statusCode(401)
                .body("error", containsString("no API token is configured"));
        given().get("/api/v1/deploys/" + UUID.randomUUID()).then().statusCode(401);
        given().contentType("application/json").body("{nope").post("/api/v1/deploys").then().statusCode(401);
        given().post("/api/v1/environments/production/rollback").then().statusCode(401)
                .body("error", containsString("no API token is configured"));
        given().delete("/api/v1/environments/production/pin").then().statusCode(401);
    }

    @Test
    void theWebhookCredentialsOpenTheWebhooksOnly() {
        String deliveryId = UUID.randomUUID().toString();
        given().header("Authorization", "Bearer hook-token")
                .headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", deliveryId))
                .contentType("application/json").body(push("gogs", deliveryId)).post("/payload")
                .then().statusCode(202);
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).hasSize(1);
        given().header("Authorization", "Bearer hook-token").get("/api/v1/environments").then().statusCode(401)
                .contentType("application/json").body("error", containsString("no API token is configured"));
        given().auth().preemptive().basic("puppet", "s3cret").get("/api/v1/environments").then().statusCode(401)
                .contentType("application/json").body("error", containsString("no API token is configured"));
        // Valid webhook credentials hold no deploy role: refused as 401 like any other caller, never 403.
        given().header("Authorization", "Bearer hook-token").post("/api/v1/environments/production/rollback")
                .then().statusCode(401).body("error", containsString("no API token is configured"));
        given().auth().preemptive().basic("puppet", "s3cret").delete("/api/v1/environments/production/pin")
                .then().statusCode(401).body("error", containsString("no API token is configured"));
    }

    @Test
    void aWrongWebhookTokenIsRefusedWithTheJsonBody() {
        String deliveryId = UUID.randomUUID().toString();
        given().header("Authorization", "Bearer nope")
                .headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", deliveryId))
                .contentType("application/json").body(push("gogs", deliveryId)).post("/module")
                .then().statusCode(401).contentType("application/json")
                .body("error", containsString("webhook authentication required"));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).isEmpty();
        given().header("Authorization", "Bearer nope").get("/q/health/live").then().statusCode(200);
    }

    /** The body limit answers from Content-Length when the request arrives, before routing and authentication. */
    @Test
    void anOversizedDeliveryIs413WithOrWithoutCredentials() {
        byte[] body = new byte[1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        given().headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", UUID.randomUUID().toString()))
                .contentType("application/json").body(body).post("/payload").then().statusCode(413);
        given().auth().preemptive().basic("puppet", "s3cret")
                .headers(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", UUID.randomUUID().toString()))
                .contentType("application/json").body(body).post("/payload").then().statusCode(413);
    }
}
