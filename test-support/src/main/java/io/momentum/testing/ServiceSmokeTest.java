package io.momentum.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.momentum.shared.event.Topics;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every service must do against a real broker: start, provision the topics, let records travel, and report
 * health and metrics. A service's test extends it as a {@code @QuarkusTest} with {@link EmbeddedKafkaResource}.
 */
public abstract class ServiceSmokeTest {

    @InjectKafkaBroker
    protected KafkaBroker broker;

    @Test
    void provisionsTheTopicsAndRecordsTravelThroughTheBroker() {
        String service = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            assertThat(companion.topics().list()).containsAll(Topics.ALL);

            String topic = service + ".round-trip";
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", "hello " + service))
                    .awaitCompletion(Duration.ofSeconds(30));
            ConsumerTask<String, String> consumed = companion.consumeStrings().fromTopics(topic, 1)
                    .awaitCompletion(Duration.ofSeconds(30));
            assertThat(consumed.getFirstRecord().value()).isEqualTo("hello " + service);
        }
    }

    @Test
    void reportsHealthAndMetrics() {
        // Ready once the broker is reachable and the service's replay (if it has one) is done.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
