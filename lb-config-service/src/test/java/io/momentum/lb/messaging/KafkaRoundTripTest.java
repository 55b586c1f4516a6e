package io.momentum.lb.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.momentum.lb.testing.NginxTestResource;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.ServiceSmokeTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The shared smoke test, and readiness names the master-status replay. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(NginxTestResource.class)
class KafkaRoundTripTest extends ServiceSmokeTest {

    @Test
    void readinessNamesTheMasterStatusReplay() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                        .body(containsString("master-status")));
    }
}
