package io.momentum.agent.plan;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The planner inside the running agent (the tests' configuration: its control repository does not exist), against
 * the embedded broker: a request is answered by exactly one plan on {@code momentum.deploy-plans}, keyed by its
 * environment, and its offset is committed in the {@code momentum-planner} group.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class PlannerFlowTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    @Test
    void aRequestIsAnsweredByOnePlanAndCommittedInThePlannerGroup() {
        DeployRequest request = DeployRequest.environment("plan_flow", "plan_flow", "control", null, null,
                Provider.GITHUB, Instant.now());
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            RecordMetadata sent = companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.DEPLOY_REQUESTS,
                    request.key(), EventCodec.encodeToString(request))).awaitCompletion(Duration.ofSeconds(30))
                    .getFirstRecord();
            TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    companion.consumerGroups().offsets(Planner.GROUP, partition).offset())
                    .isGreaterThan(sent.offset()));

            Map<TopicPartition, Long> start = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                start.put(new TopicPartition(Topics.DEPLOY_PLANS, p), 0L);
            }
            ConsumerTask<String, String> plans = companion.consumeStrings().fromOffsets(start, Duration.ofSeconds(5))
                    .awaitCompletion(Duration.ofSeconds(30));
            List<DeployPlan> answers = plans.getRecords().stream().filter(r -> r.value() != null)
                    .filter(r -> r.key().equals("env:plan_flow"))
                    .map(r -> EventCodec.decode(r.value(), DeployPlan.class))
                    .filter(p -> p.requestId().equals(request.requestId())).toList();
            assertThat(answers).singleElement().satisfies(plan -> {
                assertThat(plan.status()).isEqualTo(PlanStatus.FAILED);
                assertThat(plan.error()).startsWith("cannot fetch file:///nonexistent/momentum-test-control.git");
            });
        }
        given().get("/q/health/live").then().statusCode(200).body("checks.name", hasItem("planner"));
    }
}
