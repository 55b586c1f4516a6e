package io.momentum.notifier.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.ServiceSmokeTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The shared smoke test, readiness names the notifier's replay, and every sink's counters are exported. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(ReceiverResource.class)
class KafkaRoundTripTest extends ServiceSmokeTest {

    @Test
    void readinessNamesTheReplayAndMetricsNameTheSinks() {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                        .body(containsString("notifier")));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("momentum_notifications_sent_total{sink=\"hook\"}"))
                .body(containsString("momentum_notifications_retried_total{sink=\"hook\"}"))
                .body(containsString("momentum_notifications_dropped_total{reason=\"queue-full\",sink=\"hook\"}"));
    }
}
