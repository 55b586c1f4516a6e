package io.momentum.lb.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.momentum.lb.testing.NginxTestResource;
import io.momentum.shared.event.Topics;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The service starts against a real broker (and beside a real nginx, sharing the end-to-end test's boot), provisions the SPEC topics, and records really travel through it. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(NginxTestResource.class)
class KafkaRoundTripTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    @Test
    void producesAndConsumesThroughTheEmbeddedBroker() {
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            assertThat(companion.topics().list()).containsAll(Topics.ALL);

            String topic = "lb-config-service.round-trip";
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", "hello lb-config-service"))
                    .awaitCompletion(Duration.ofSeconds(30));
            ConsumerTask<String, String> consumed = companion.consumeStrings().fromTopics(topic, 1)
                    .awaitCompletion(Duration.ofSeconds(30));
            assertThat(consumed.getFirstRecord().value()).isEqualTo("hello lb-config-service");
        }
    }

    @Test
    void reportsHealthAndMetrics() {
        // ready once Kafka is reachable and the status topic has been replayed (service-support's replay check)
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"))
                        .body(containsString("master-status")));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
