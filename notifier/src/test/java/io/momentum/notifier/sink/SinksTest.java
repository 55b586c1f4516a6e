package io.momentum.notifier.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.notifier.domain.DeployFinished;
import io.momentum.notifier.domain.DeployOutcome;
import io.momentum.notifier.domain.MasterOutcome;
import io.momentum.notifier.domain.MasterRoutingChanged;
import io.momentum.notifier.domain.Notification;
import io.momentum.notifier.domain.RetryPolicy;
import io.momentum.notifier.domain.SinkFilter;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.NotificationSent;
import io.momentum.shared.json.EventCodec;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every sink against a real HTTP receiver on the loopback: the payload shape and headers each receiver documents,
 * the generic webhook's signature, retries with backoff, giving up, dropping when the queue is full, and Foreman's
 * class import. Plain JUnit: no Quarkus needed to POST.
 */
class SinksTest {

    private static final Instant SENT_AT = Instant.parse("2026-12-02T07:00:10Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Receiver receiver;
    private MeterRegistry meters;
    private final List<NotificationSent> recorded = new CopyOnWriteArrayList<>();
    private final List<SinkWorker> workers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new Receiver();
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() {
        workers.forEach(SinkWorker::close);
        receiver.close();
    }

    @Test
    void slackGetsBlockKitWithAFallbackText() throws Exception {
        deliver(new SlackSink(), "slack", failedDeploy());

        Receiver.Call call = receiver.calls().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/services/T000/B000/XXXX");
        assertThat(call.headers()).containsEntry("content-type", "application/json");
        JsonNode body = json(call);
        assertThat(body.path("text").asText()).isEqualTo(":x: Deploy of production FAILED");
        JsonNode blocks = body.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(1).path("type").asText()).isEqualTo("section");
        assertThat(blocks.get(1).path("text").path("type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).path("text").path("text").asText())
                .contains("cm2 production: FAILED (module &lt;ntp&gt; not found)");
        assertThat(blocks.get(2).path("type").asText()).isEqualTo("context");
        assertThat(blocks.get(2).path("elements").get(0).path("type").asText()).isEqualTo("mrkdwn");
    }

    @Test
    void teamsGetsAMessageWithAnAdaptiveCard() throws Exception {
        deliver(new TeamsSink(), "teams", failedDeploy());

        JsonNode body = json(receiver.calls().get(0));
        assertThat(body.path("type").asText()).isEqualTo("message");
        JsonNode attachment = body.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.has("contentUrl")).isTrue();
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
        assertThat(card.path("version").asText()).isEqualTo("1.4");
        assertThat(card.path("body").get(0).path("type").asText()).isEqualTo("TextBlock");
        assertThat(card.path("body").get(0).path("text").asText()).isEqualTo("Deploy of production FAILED");
        assertThat(card.path("body").get(0).path("color").asText()).isEqualTo("Attention");
    }

    @Test
    void rocketChatGetsTextAndAColouredAttachment() throws Exception {
        deliver(new RocketChatSink(), "rocketchat", rejoined());

        JsonNode body = json(receiver.calls().get(0));
        assertThat(body.path("text").asText()).isEqualTo(":white_check_mark: Master cm1 is in the load balancer");
        JsonNode attachment = body.path("attachments").get(0);
        assertThat(attachment.path("color").asText()).isEqualTo("#2eb886");
        assertThat(attachment.path("title").asText()).startsWith("master-rejoined · ");
        assertThat(attachment.path("text").asText()).contains("health UP");
    }

    @Test
    void theGenericWebhookIsSignedOverTheExactBodyWithATimestampTheSignatureCovers() throws Exception {
        String secret = "s3cret-for-the-receiver";
        DeployFinished deploy = failedDeploy();
        deliver(new WebhookSink(), "webhook", deploy, Optional.of(secret));

        Receiver.Call call = receiver.calls().get(0);
        String expected = "sha256=" + WebhookSink.hmacSha256Hex(secret, call.body().getBytes(StandardCharsets.UTF_8));
        assertThat(call.headers()).containsEntry("x-momentum-signature", expected)
                .containsEntry("x-momentum-timestamp", String.valueOf(SENT_AT.getEpochSecond()))
                .containsEntry("x-momentum-event", "deploy")
                .containsEntry("x-momentum-notification", deploy.id());
        // A receiver with another secret gets another signature.
        assertThat(WebhookSink.hmacSha256Hex("other", call.body().getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(expected.substring("sha256=".length()));
        JsonNode body = json(call);
        assertThat(body.path("id").asText()).isEqualTo(deploy.id());
        assertThat(body.path("kind").asText()).isEqualTo("deploy");
        assertThat(body.path("failure").asBoolean()).isTrue();
        assertThat(body.path("sentAt").asText()).isEqualTo(SENT_AT.toString());
        assertThat(body.path("environments").get(0).asText()).isEqualTo("production");
        assertThat(body.path("deploy").path("outcome").asText()).isEqualTo("FAILED");
        assertThat(body.path("deploy").path("requestId").asText()).isEqualTo(deploy.requestId().toString());
        assertThat(body.path("deploy").path("masters").get(1).path("error").asText())
                .isEqualTo("module <ntp> not found");
    }

    @Test
    void fiveHundredsAreRetriedWithBackoffThenDelivered() throws Exception {
        receiver.answering(503, 502);
        SinkWorker worker = worker(new WebhookSink(), "retrying", Optional.empty(), 4, 1000);
        worker.offer(rejoined());

        await().atMost(WAIT).until(() -> recorded.size() == 1);
        assertThat(receiver.calls()).hasSize(3);
        assertThat(recorded.get(0).outcome()).isEqualTo(NotificationSent.Outcome.DELIVERED);
        assertThat(recorded.get(0).attempts()).isEqualTo(3);
        assertThat(count("momentum.notifications.retried", "retrying")).isEqualTo(2);
        assertThat(count("momentum.notifications.sent", "retrying")).isEqualTo(1);
    }

    @Test
    void aFourHundredIsGivenUpAtOnceAndCounted() throws Exception {
        receiver.answering(404);
        SinkWorker worker = worker(new SlackSink(), "revoked", Optional.empty(), 4, 1000);
        worker.offer(rejoined());

        await().atMost(WAIT).until(() -> recorded.size() == 1);
        assertThat(receiver.calls()).hasSize(1);
        assertThat(recorded.get(0).outcome()).isEqualTo(NotificationSent.Outcome.GAVE_UP);
        assertThat(recorded.get(0).error()).isEqualTo("HTTP 404");
        assertThat(meters.counter("momentum.notifications.dropped", "sink", "revoked", "reason", "gave-up").count())
                .isEqualTo(1);
        assertThat(count("momentum.notifications.retried", "revoked")).isZero();
    }

    @Test
    void aReceiverThatIsNotThereIsRetriedThenGivenUp() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SinkSettings settings = new SinkSettings("absent", "webhook", URI.create("http://127.0.0.1:" + closedPort
                + "/hook"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        SinkWorker worker = start(new WebhookSink(), settings, 3, 1000);
        worker.offer(rejoined());

        await().atMost(WAIT).until(() -> recorded.size() == 1);
        assertThat(recorded.get(0).outcome()).isEqualTo(NotificationSent.Outcome.GAVE_UP);
        assertThat(recorded.get(0).attempts()).isEqualTo(3);
        assertThat(recorded.get(0).error()).contains("ConnectException");
        assertThat(count("momentum.notifications.retried", "absent")).isEqualTo(2);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        receiver.holding();
        SinkWorker worker = worker(new WebhookSink(), "slow", Optional.empty(), 1, 1);
        worker.offer(rejoined());
        await().atMost(WAIT).until(() -> receiver.calls().size() == 1);
        worker.offer(rejoined());
        worker.offer(failedDeploy());

        assertThat(meters.counter("momentum.notifications.dropped", "sink", "slow", "reason", "queue-full").count())
                .isEqualTo(1);
        assertThat(recorded).singleElement().satisfies(dropped -> {
            assertThat(dropped.outcome()).isEqualTo(NotificationSent.Outcome.DROPPED);
            assertThat(dropped.attempts()).isZero();
        });
        receiver.release();
        await().atMost(WAIT).until(() -> recorded.size() == 3);
    }

    @Test
    void foremanImportsTheClassesOfEachEnvironmentDeployedWithBasicAuth() throws Exception {
        SinkSettings settings = new SinkSettings("foreman", "foreman", receiver.uri("/"), Optional.empty(),
                Optional.of("momentum"), Optional.of("token-123"), Optional.of("7"));
        new ForemanSink().check(settings);
        SinkWorker worker = start(new ForemanSink(), settings, 3, 1000);
        worker.offer(failedDeploy());
        worker.offer(rejoined());
        DeployFinished deployed = deploy(DeployOutcome.SUCCEEDED, List.of("production", "feature_x"),
                List.of(outcome("cm1", "production", DeployStatus.SUCCEEDED, null),
                        outcome("cm1", "feature_x", DeployStatus.SUCCEEDED, null)));
        receiver.answering(500);
        worker.offer(deployed);

        await().atMost(WAIT).until(() -> recorded.size() == 1);
        assertThat(recorded.get(0).notificationId()).isEqualTo(deployed.id());
        assertThat(recorded.get(0).outcome()).isEqualTo(NotificationSent.Outcome.DELIVERED);
        List<Receiver.Call> calls = receiver.calls();
        // The first call failed (500) and was retried; nothing was called for the failed deploy or the master.
        assertThat(calls).extracting(Receiver.Call::path).containsExactly(
                "/api/smart_proxies/7/environments/production/import_puppetclasses",
                "/api/smart_proxies/7/environments/production/import_puppetclasses",
                "/api/smart_proxies/7/environments/feature_x/import_puppetclasses");
        for (Receiver.Call call : calls) {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.headers()).containsEntry("authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("momentum:token-123".getBytes(StandardCharsets.UTF_8)))
                    .containsEntry("accept", "application/json,version=2")
                    .containsEntry("content-type", "application/json");
            assertThat(call.body()).isEqualTo("{}");
        }
    }

    private void deliver(Sink sink, String name, Notification notification) throws Exception {
        deliver(sink, name, notification, Optional.empty());
    }

    private void deliver(Sink sink, String name, Notification notification, Optional<String> secret)
            throws Exception {
        worker(sink, name, secret, 1, 10).offer(notification);
        await().atMost(WAIT).until(() -> recorded.size() == 1);
        assertThat(recorded.get(0).outcome()).isEqualTo(NotificationSent.Outcome.DELIVERED);
        assertThat(receiver.calls()).hasSize(1);
    }

    private SinkWorker worker(Sink sink, String name, Optional<String> secret, int attempts, int queueSize) {
        SinkSettings settings = new SinkSettings(name, name, receiver.uri("/services/T000/B000/XXXX"), secret,
                Optional.empty(), Optional.empty(), Optional.empty());
        return start(sink, settings, attempts, queueSize);
    }

    private SinkWorker start(Sink sink, SinkSettings settings, int attempts, int queueSize) {
        SinkWorker worker = new SinkWorker(sink, settings, SinkFilter.ALL,
                new RetryPolicy(attempts, Duration.ofMillis(20), Duration.ofMillis(100)), Duration.ofSeconds(5),
                queueSize, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), meters,
                recorded::add, Clock.fixed(SENT_AT, ZoneOffset.UTC)).start();
        workers.add(worker);
        return worker;
    }

    private double count(String counter, String sink) {
        return meters.counter(counter, "sink", sink).count();
    }

    private static JsonNode json(Receiver.Call call) throws Exception {
        return EventCodec.mapper().readTree(call.body());
    }

    private static DeployFinished failedDeploy() {
        return deploy(DeployOutcome.FAILED, List.of("production"), List.of(
                outcome("cm1", "production", DeployStatus.SUCCEEDED, null),
                outcome("cm2", "production", DeployStatus.FAILED, "module <ntp> not found")));
    }

    private static DeployFinished deploy(DeployOutcome result, List<String> environments,
            List<MasterOutcome> masters) {
        return new DeployFinished(UUID.randomUUID(), result, "ENVIRONMENT", environments, "main", "c".repeat(40),
                "control", "github", "alice", masters, List.of(), null, SENT_AT.minusSeconds(10), null,
                SENT_AT.minusSeconds(1));
    }

    private static MasterOutcome outcome(String master, String environment, DeployStatus status, String error) {
        return new MasterOutcome(master, environment, status, "c".repeat(40), 840, false, error);
    }

    private static MasterRoutingChanged rejoined() {
        return new MasterRoutingChanged("cm1", true, Health.UP, null, List.of(), SENT_AT.minusSeconds(2));
    }
}
