package io.momentum.notifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.notifier.domain.FleetNotifications;
import io.momentum.notifier.domain.Notification;
import io.momentum.notifier.domain.SentLog;
import io.momentum.notifier.sink.Receiver;
import io.momentum.notifier.sink.WebhookSink;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.NotificationSent;
import io.momentum.shared.event.Provider;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running notifier on the embedded broker with a real HTTP receiver as its signed webhook sink: a request and
 * the results of two READY masters make one message; what was sent is recorded on {@code momentum.notifications},
 * and a notifier rebuilt from the topics (as after a restart) would send it to nobody again.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(ReceiverResource.class)
class NotifierFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String COMMIT = "a".repeat(40);

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    NotifierLifecycle notifier;

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    private KafkaCompanion companion;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void theResultsOfTwoMastersMakeOneSignedMessageThatARestartDoesNotSendAgain() throws Exception {
        Instant now = Instant.now();
        announce("flow1", now);
        announce("flow2", now);
        await().atMost(WAIT).until(() -> notifier.fleet() != null
                && notifier.fleet().readyMasters().containsAll(List.of("flow1", "flow2")));

        DeployRequest request = DeployRequest.environment("flowenv", "flowenv", "control",
                "https://git.example.net/control.git", COMMIT, Provider.GITLAB, now).withDelivery("d-1", "alice");
        send(Topics.DEPLOY_REQUESTS, request.key(), request);
        send(Topics.DEPLOY_PLANS, DeployPlan.key("flowenv"), DeployPlan.planned(request.requestId(), "flowenv",
                "control", "flowenv", COMMIT, List.of(), Rollout.IMMEDIATE, now.plusMillis(100)));
        send(Topics.DEPLOY_RESULTS, "flow1/flowenv", result(request, "flow1", now.plusMillis(900)));
        String id = "deploy/" + request.requestId();
        send(Topics.DEPLOY_RESULTS, "flow2/flowenv", result(request, "flow2", now.plusMillis(1200)));

        await().atMost(WAIT).until(() -> calls(id).size() == 1);
        Receiver.Call call = calls(id).get(0);
        assertThat(call.path()).isEqualTo("/momentum");
        assertThat(call.headers()).containsEntry("x-momentum-signature", "sha256=" + WebhookSink.hmacSha256Hex(
                ReceiverResource.SECRET, call.body().getBytes(StandardCharsets.UTF_8)));
        JsonNode body = EventCodec.mapper().readTree(call.body());
        assertThat(body.path("deploy").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(body.path("deploy").path("provider").asText()).isEqualTo("gitlab");
        assertThat(body.path("deploy").path("pusher").asText()).isEqualTo("alice");
        assertThat(body.path("deploy").path("masters")).extracting(m -> m.path("masterId").asText())
                .containsExactly("flow1", "flow2");

        // Recorded on the topic...
        String key = NotificationSent.key(ReceiverResource.SINK, id);
        ConsumerTask<String, String> records = companion.consumeStrings().fromTopics(Topics.NOTIFICATIONS);
        await().atMost(WAIT).until(() -> records.getRecords().stream().anyMatch(r -> key.equals(r.key())
                && r.value().contains("DELIVERED")));
        records.stop();

        // ... so a notifier rebuilt from the topics, as after a restart, sees the deploy finished and sends nothing.
        FleetNotifications rebuilt = new FleetNotifications(Duration.ofMinutes(10));
        SentLog sentLog = new SentLog(Instant.now(), Duration.ofHours(1));
        try (CompactedTopicReader reader = readers.open("restarted", NotifierFeed.TOPICS,
                new NotifierFeed(rebuilt, sentLog, decoder), () -> { })) {
            await().atMost(WAIT).until(reader::caughtUp);
        }
        List<Notification> due = rebuilt.evaluate(Instant.now());
        Notification again = due.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
        assertThat(sentLog.claim(ReceiverResource.SINK, again)).isFalse();
        // A sink added since would still get it: what was sent is kept per sink.
        assertThat(sentLog.claim("added-later", again)).isTrue();
        assertThat(calls(id)).hasSize(1);
    }

    @Test
    void aMasterLeavingTheUpstreamIsToldOnce() {
        Instant now = Instant.now();
        send(Topics.MASTER_STATUS, "flow3", status("flow3", true, now));
        send(Topics.MASTER_STATUS, "flow3", status("flow3", false, now.plusSeconds(1)));
        String id = "master/flow3/left/" + now.plusSeconds(1).toEpochMilli();

        await().atMost(WAIT).until(() -> calls(id).size() == 1);
        assertThat(calls(id).get(0).headers()).containsEntry("x-momentum-event", "master-left");
    }

    private static List<Receiver.Call> calls(String id) {
        return ReceiverResource.receiver().calls().stream()
                .filter(c -> id.equals(c.headers().get("x-momentum-notification"))).toList();
    }

    private void announce(String master, Instant now) {
        send(Topics.MASTERS, master, new MasterAnnouncement(master, MasterRole.COMPILE, "https://" + master + ":8140",
                master + ":8140", MasterState.READY, "test", now, now, 5000));
    }

    private static DeployResult result(DeployRequest request, String master, Instant finishedAt) {
        return DeployResult.of(request.requestId(), master, "flowenv", COMMIT, DeployStatus.SUCCEEDED,
                finishedAt.minusMillis(700), finishedAt, null, null);
    }

    private static MasterStatus status(String master, boolean routable, Instant at) {
        return new MasterStatus(master, MasterRole.COMPILE, master + ":8140", routable ? Health.UP : Health.DOWN, true,
                List.of(), routable, false, routable ? null : "probe failed 3 times", 0, 3L, at);
    }

    private void send(String topic, String key, Event event) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, EventCodec.encodeToString(event)))
                .awaitCompletion(Duration.ofSeconds(30));
    }
}
