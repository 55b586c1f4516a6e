package io.momentum.webhook.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.TopicRecords;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A webhook the broker cannot store is answered 503, never 2xx; the git host's retry goes through later. A rollback
 * likewise: 503 and nothing stored.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class BrokerOutageTest {

    private static final String TOKEN = "Bearer api-test-token";

    @InjectKafkaBroker
    KafkaBroker broker;

    @Test
    void brokerDownIs503AndTheRetryIsPublishedOnce() {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload("github", "push", "outage_" + deliveryId.substring(0, 8), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Deliveries.headers("github", "push", body, deliveryId);
        broker.stop();
        try {
            given().headers(headers).contentType("application/json").body(body).post("/payload")
                    .then().statusCode(503);
        } finally {
            broker.start();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().headers(headers).contentType("application/json").body(body).post("/payload")
                        .then().statusCode(202));
        assertThat(TopicRecords.withDelivery(broker.bootstrapServers(), deliveryId)).hasSize(1);
    }

    @Test
    void brokerDownIsA503RollbackThatStoresNothing() {
        String environment = "outage_" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            for (int n = 1; n <= 2; n++) {
                DeployPlan plan = DeployPlan.planned(UUID.randomUUID(), environment, "puppet", environment,
                        String.format("%040x", n), List.of(), Rollout.IMMEDIATE, Instant.now());
                companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.DEPLOY_PLANS, plan.key(),
                        EventCodec.encodeToString(plan))).awaitCompletion(Duration.ofSeconds(30));
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", TOKEN)
                .get("/api/v1/environments").then().statusCode(200)
                .body("environments.find { it.environment == '" + environment + "' }.history", hasSize(2)));
        broker.stop();
        try {
            given().header("Authorization", TOKEN).post("/api/v1/environments/" + environment + "/rollback")
                    .then().statusCode(503).body("error", equalTo("the rollback was not made: the deploy state could"
                            + " not be read up to date from Kafka; nothing was published; retry"));
        } finally {
            broker.start();
        }
        given().header("Authorization", TOKEN).get("/api/v1/environments").then().statusCode(200)
                .body("environments.find { it.environment == '" + environment + "' }.plan.pinned", equalTo(false));
        assertThat(TopicRecords.deployPlans(broker.bootstrapServers(), environment)).hasSize(2);
        awaitPublishingAgain();
    }

    /**
     * The application is shared with the next test classes: they must find its producers reconnected to the
     * restarted broker, not a first publish that times out while metadata is refreshed.
     */
    private static void awaitPublishingAgain() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String deliveryId = UUID.randomUUID().toString();
            byte[] body = Deliveries.payload("github", "push", "recovered_" + deliveryId.substring(0, 8), deliveryId)
                    .getBytes(StandardCharsets.UTF_8);
            given().headers(Deliveries.headers("github", "push", body, deliveryId)).contentType("application/json")
                    .body(body).post("/payload").then().statusCode(202);
        });
    }
}
