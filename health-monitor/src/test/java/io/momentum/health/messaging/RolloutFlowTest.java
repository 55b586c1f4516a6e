package io.momentum.health.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.RolloutPhase;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running service against the embedded broker: a FLEET plan and STAGED results on the topics lead to one
 * Activation ALL on {@code momentum.rollouts}; a monitor rebuilt from the topics (a restart) publishes nothing more.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RolloutFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ENV = "flow_fleet";
    private static final List<String> MASTERS = List.of("roll-1", "roll-2");

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    MonitoredFleet fleet;

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    private KafkaCompanion companion;
    private ConsumerTask<String, String> rollouts;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(broker.bootstrapServers());
        rollouts = companion.consumeStrings().fromTopics(Topics.ROLLOUTS);
    }

    @AfterEach
    void removeWhatTheTestAdded() {
        MASTERS.forEach(id -> send(Topics.MASTERS, id, null));
        send(Topics.DEPLOY_PLANS, DeployPlan.key(ENV), null);
        send(Topics.ROLLOUTS, DeployPlan.key(ENV), null);
        await().atMost(WAIT).until(() -> fleet.rollout(ENV).isEmpty());
        rollouts.stop();
        companion.close();
    }

    @Test
    void everyReadyMasterStagedActivatesAllOnceEvenAcrossARestart() {
        Instant now = Instant.now();
        MASTERS.forEach(id -> publish(Topics.MASTERS, id, new MasterAnnouncement(id, MasterRole.COMPILE, null, null,
                MasterState.READY, "test", now, now, 60_000)));
        DeployPlan plan = DeployPlan.planned(UUID.randomUUID(), ENV, "control", ENV, "c".repeat(40), List.of(),
                Rollout.FLEET, now);
        publish(Topics.DEPLOY_PLANS, plan.key(), plan);
        staged(plan, "roll-1");
        await().atMost(WAIT).until(() -> fleet.rollout(ENV).map(view -> view.pending().equals(List.of("roll-2")))
                .orElse(false));
        given().auth().oauth2("reader-test-token").get("/api/v1/rollouts/" + ENV).then().statusCode(200)
                .body("phase", is("STAGING"))
                .body("digest", is(plan.digest()))
                .body("rollout", is("FLEET"))
                .body("staged[0]", is("roll-1"));

        staged(plan, "roll-2");

        await().atMost(WAIT).until(() -> activations().size() == 1);
        Activation all = activations().get(0);
        assertThat(all.phase()).isEqualTo(Activation.Phase.ALL);
        assertThat(all.requestId()).isEqualTo(plan.requestId());
        assertThat(all.digest()).isEqualTo(plan.digest());
        given().auth().oauth2("reader-test-token").get("/api/v1/rollouts").then().statusCode(200)
                .body("find { it.environment == '" + ENV + "' }.phase", is("ALL"));
        given().auth().oauth2("reader-test-token").get("/api/v1/rollouts/nowhere").then().statusCode(404);

        MonitoredFleet rebuilt = new MonitoredFleet(fleet.settings(), fleet.rolloutSettings(), fleet.policy(),
                List.of(), Clock.systemUTC());
        try (CompactedTopicReader feed = readers.open("rebuilt-rollouts", FleetFeed.TOPICS,
                new FleetFeed(rebuilt, decoder), () -> {
                })) {
            await().atMost(WAIT).until(feed::caughtUp);
            assertThat(rebuilt.activationsDue()).as("the replayed ALL is the decision").isEmpty();
            assertThat(rebuilt.rollout(ENV).orElseThrow().phase()).isEqualTo(RolloutPhase.ALL);
        }
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> activations().size() == 1);
    }

    private List<Activation> activations() {
        return rollouts.getRecords().stream()
                .filter(r -> DeployPlan.key(ENV).equals(r.key()) && r.value() != null)
                .map(ConsumerRecord::value)
                .map(json -> EventCodec.decode(json, Activation.class))
                .toList();
    }

    private void staged(DeployPlan plan, String masterId) {
        DeployResult result = DeployResult.of(plan.requestId(), masterId, ENV, plan.commit(), DeployStatus.STAGED,
                Instant.now(), Instant.now(), null, null).withPlanDigest(plan.digest());
        publish(Topics.DEPLOY_RESULTS, result.key(), result);
    }

    private void publish(String topic, String key, Event event) {
        send(topic, key, EventCodec.encode(event));
    }

    private void send(String topic, String key, byte[] value) {
        companion.produce(String.class, byte[].class).fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(WAIT);
    }
}
