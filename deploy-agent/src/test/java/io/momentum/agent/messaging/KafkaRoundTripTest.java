package io.momentum.agent.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

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

/** The service starts against a real broker, provisions the SPEC topics, and records really travel through it. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class KafkaRoundTripTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    @Test
    void producesAndConsumesThroughTheEmbeddedBroker() {
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            assertThat(companion.topics().list()).containsAll(Topics.ALL);

            String topic = "deploy-agent.round-trip";
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", "hello deploy-agent"))
                    .awaitCompletion(Duration.ofSeconds(30));
            ConsumerTask<String, String> consumed = companion.consumeStrings().fromTopics(topic, 1)
                    .awaitCompletion(Duration.ofSeconds(30));
            assertThat(consumed.getFirstRecord().value()).isEqualTo("hello deploy-agent");
        }
    }

    @Test
    void reportsHealthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
