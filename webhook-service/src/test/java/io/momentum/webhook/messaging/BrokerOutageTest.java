package io.momentum.webhook.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.momentum.webhook.Deliveries;
import io.momentum.webhook.TopicRecords;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A webhook the broker cannot store is answered 503, never 2xx; the git host's retry goes through later. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class BrokerOutageTest {

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
}
