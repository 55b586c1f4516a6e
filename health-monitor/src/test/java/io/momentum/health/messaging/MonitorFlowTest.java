package io.momentum.health.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.momentum.health.domain.EnvironmentSync;
import io.momentum.health.domain.HealthSettings;
import io.momentum.health.domain.MasterView;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.probe.FakePuppetServer.Mode;
import io.momentum.health.probe.FakePuppetServer;
import io.momentum.health.probe.ProbeLoop;
import io.momentum.health.probe.ProbeRounds;
import io.momentum.health.probe.StatusProbe;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Event;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.PlannedModule;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running service against the embedded broker and real loopback status servers: masters announced on
 * {@code momentum.masters}, code state from the plans and results topics, statuses read back from
 * {@code momentum.master-status}.
 * Each test announces its own masters and environments and removes them (tombstones) afterwards.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class MonitorFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String COMMIT_A = "a".repeat(40);
    private static final String COMMIT_B = "b".repeat(40);
    private static final String MODULE_SHA_1 = "1".repeat(40);
    private static final String MODULE_SHA_2 = "2".repeat(40);

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    MonitoredFleet fleet;

    @Inject
    StatusProbe statusProbe;

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    private KafkaCompanion companion;
    private ConsumerTask<String, String> statuses;
    private final List<FakePuppetServer> servers = new ArrayList<>();
    private final List<String> masters = new ArrayList<>();
    private final List<String> environments = new ArrayList<>();

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(broker.bootstrapServers());
        statuses = companion.consumeStrings().fromTopics(Topics.MASTER_STATUS);
    }

    @AfterEach
    void removeWhatTheTestAdded() {
        masters.forEach(id -> send(Topics.MASTERS, id, null));
        environments.forEach(env -> send(Topics.DEPLOY_PLANS, DeployPlan.key(env), null));
        await().atMost(WAIT).until(() -> fleet.statuses().stream().noneMatch(s -> masters.contains(s.masterId())));
        statuses.stop();
        companion.close();
        servers.forEach(FakePuppetServer::close);
    }

    @Test
    void goesDownAfterFallFailuresAndUpAfterRiseSuccesses() {
        FakePuppetServer server = server();
        announce("flow-a", MasterState.READY, server);

        MasterStatus up = awaitStatus("flow-a", s -> s.health() == Health.UP);
        assertThat(up.routable()).isTrue();
        assertThat(up.role()).isEqualTo(MasterRole.COMPILE);
        given().auth().oauth2("reader-test-token").get("/api/v1/masters").then().statusCode(200).body("masterId", hasItem("flow-a"));
        given().auth().oauth2("reader-test-token").get("/api/v1/masters/flow-a").then().statusCode(200).body("health", is("UP"));
        given().auth().oauth2("reader-test-token").get("/api/v1/masters/nobody").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(200).body(containsString("momentum_health_masters_routable"));

        server.mode(Mode.ERROR);
        MasterStatus down = awaitStatus("flow-a", s -> s.health() == Health.DOWN);
        assertThat(down.consecutiveFailures()).isEqualTo(3);
        assertThat(down.routable()).isFalse();
        assertThat(down.reason()).startsWith("DOWN: HTTP 503: error");
        assertThat(records("flow-a")).as("warned before going down").anyMatch(s -> s.health() == Health.UP
                && s.consecutiveFailures() == 1 && s.routable());

        server.mode(Mode.RUNNING);
        MasterStatus back = awaitStatus("flow-a", s -> s.health() == Health.UP && s.checkedAt().isAfter(
                down.checkedAt()));
        assertThat(back.routable()).isTrue();
    }

    /** Changed with plans: the desired state comes from a plan, and flow-s2 differs only in one module's SHA. */
    @Test
    void strictRoutesOnlyMastersAtTheDesiredPlanButNeverNone() {
        announce("flow-s1", MasterState.READY, server());
        announce("flow-s2", MasterState.READY, server());
        awaitStatus("flow-s1", s -> s.health() == Health.UP);
        awaitStatus("flow-s2", s -> s.health() == Health.UP);

        DeployPlan desired = plan("flow_strict", COMMIT_B, MODULE_SHA_1);
        MasterStatus bothLagging = awaitStatus("flow-s1", s -> !s.inSync());
        assertThat(bothLagging.routable()).as("no master in sync: the healthy ones stay routable").isTrue();
        assertThat(bothLagging.reason()).contains("rather than none");

        DeployPlan otherModuleSha = planOf("flow_strict", COMMIT_B, MODULE_SHA_2);
        deployed(desired, "flow-s1");
        deployed(otherModuleSha, "flow-s2");
        assertThat(awaitStatus("flow-s1", s -> s.inSync() && s.routable()).laggingEnvironments()).isEmpty();
        MasterStatus lagging = awaitStatus("flow-s2", s -> !s.routable());
        assertThat(lagging.laggingEnvironments()).containsExactly("flow_strict");
        assertThat(lagging.health()).isEqualTo(Health.UP);
        given().auth().oauth2("reader-test-token").get("/api/v1/masters/flow-s2").then().statusCode(200)
                .body("inSync", is(false))
                .body("environments.find { it.environment == 'flow_strict' }.desired", is("PLANNED"))
                .body("environments.find { it.environment == 'flow_strict' }.desiredDigest", is(desired.digest()))
                .body("environments.find { it.environment == 'flow_strict' }.desiredCommit", is(COMMIT_B))
                .body("environments.find { it.environment == 'flow_strict' }.deployedDigest",
                        is(otherModuleSha.digest()))
                .body("environments.find { it.environment == 'flow_strict' }.deployedCommit", is(COMMIT_B))
                .body("environments.find { it.environment == 'flow_strict' }.inSync", is(false));

        servers.get(0).mode(Mode.ERROR);
        awaitStatus("flow-s1", s -> s.health() == Health.DOWN);
        assertThat(awaitStatus("flow-s2", MasterStatus::routable).reason()).contains("rather than none");
    }

    @Test
    void aJoiningMasterIsNotRoutableUntilReady() {
        FakePuppetServer server = server();
        announce("flow-j", MasterState.JOINING, server);

        MasterStatus joining = awaitStatus("flow-j", s -> s.health() == Health.UP);
        assertThat(joining.routable()).isFalse();
        assertThat(joining.reason()).contains("JOINING");

        announce("flow-j", MasterState.READY, server);
        awaitStatus("flow-j", MasterStatus::routable);
    }

    @Test
    void aDecommissionedMasterIsTombstoned() {
        announce("flow-d", MasterState.READY, server());
        awaitStatus("flow-d", s -> s.health() == Health.UP);

        send(Topics.MASTERS, "flow-d", null);

        await().atMost(WAIT).until(() -> statuses.getRecords().stream()
                .anyMatch(r -> "flow-d".equals(r.key()) && r.value() == null));
    }

    @Test
    void aStatusOfAMasterNobodyKnowsIsTombstoned() {
        MasterStatus ghost = new MasterStatus("flow-ghost", MasterRole.COMPILE, "10.9.9.9:8140", Health.UP, true,
                List.of(), true, false, "published by a monitor configured differently", 0, 3L, Instant.now());

        publish(Topics.MASTER_STATUS, "flow-ghost", ghost);

        await().atMost(WAIT).until(() -> statuses.getRecords().stream()
                .anyMatch(r -> "flow-ghost".equals(r.key()) && r.value() == null));
    }

    @Test
    void anAnnouncementThatFailsValidationIsSkippedAndCounted() {
        Instant now = Instant.now();
        MasterAnnouncement invalid = new MasterAnnouncement("Flow Invalid!", MasterRole.COMPILE, server().url(), null,
                MasterState.READY, "test", now, now, 60_000);

        publish(Topics.MASTERS, "flow-invalid", invalid);

        await().atMost(WAIT).untilAsserted(() -> assertThat(given().get("/q/metrics").then().statusCode(200)
                .extract().asString().lines()).anyMatch(line -> line.startsWith("momentum_events_skipped_total{")
                        && line.contains("reason=\"malformed\"") && line.contains("topic=\"momentum.masters\"")));
        assertThat(fleet.statuses()).noneMatch(s -> s.masterId().equalsIgnoreCase("flow invalid!"));
    }

    /** Changed with plans: also a failed plan, a result without digest and a tombstoned plan, and the REST views. */
    @Test
    void aMonitorRebuiltFromTheSameTopicsReachesTheSameStatuses() {
        announce("flow-r1", MasterState.READY, server());
        announce("flow-r2", MasterState.READY, server());
        announce("flow-r3", MasterState.JOINING, server());
        DeployPlan plan = plan("flow_restart", COMMIT_A, MODULE_SHA_1);
        deployed(plan, "flow-r1");
        deployed(planOf("flow_restart", COMMIT_B, MODULE_SHA_1), "flow-r2");
        deployedWithoutDigest("flow-r3", "flow_restart", COMMIT_A);
        publish(Topics.DEPLOY_PLANS, plan.key(), DeployPlan.failed(UUID.randomUUID(), "flow_restart", "control",
                "flow_restart", COMMIT_B, "cannot resolve stdlib", Instant.now()));
        DeployPlan forgotten = plan("flow_forgotten", COMMIT_A, MODULE_SHA_1);
        send(Topics.DEPLOY_PLANS, forgotten.key(), null);
        send(Topics.DEPLOY_RESULTS, "flow-r1/junk", "not json at all".getBytes());
        send(Topics.DEPLOY_PLANS, "env:flow_junk", "not json either".getBytes());
        awaitStatus("flow-r1", s -> s.health() == Health.UP && s.routable());
        awaitStatus("flow-r2", s -> s.health() == Health.UP && !s.routable());
        assertThat(awaitStatus("flow-r3", s -> s.health() == Health.UP).laggingEnvironments())
                .as("no digest: the commit matches the plan's").isEmpty();

        HealthSettings settings = fleet.settings();
        MonitoredFleet rebuilt = new MonitoredFleet(settings, fleet.rolloutSettings(), fleet.policy(), List.of(), Clock.systemUTC());
        try (CompactedTopicReader feed = readers.open("rebuilt-fleet", FleetFeed.TOPICS,
                new FleetFeed(rebuilt, decoder), () -> {
                });
                ProbeRounds probes = ProbeRounds.every(settings.interval(), new ProbeLoop(rebuilt, statusProbe, () -> {
                }, Clock.systemUTC()))) {
            await().atMost(WAIT).until(feed::caughtUp);
            await().atMost(WAIT).untilAsserted(() -> assertThat(view(rebuilt.views()))
                    .isEqualTo(view(fleet.views())));
        }
        assertThat(view(rebuilt.views())).filteredOn(v -> v.status().masterId().startsWith("flow-r")).hasSize(3)
                .allSatisfy(v -> assertThat(v.environments()).extracting(EnvironmentSync::environment)
                        .doesNotContain("flow_forgotten"));
    }

    /** What a restart must reproduce: everything but probe timing. */
    private static List<MasterView> view(List<MasterView> views) {
        return views.stream().map(v -> {
            MasterStatus s = v.status();
            return new MasterView(new MasterStatus(s.masterId(), s.role(), s.lbAddress(), s.health(), s.inSync(),
                    s.laggingEnvironments(), s.routable(), s.draining(), s.reason(), 0, null, Instant.EPOCH),
                    v.environments());
        }).toList();
    }

    private FakePuppetServer server() {
        FakePuppetServer server = FakePuppetServer.http();
        servers.add(server);
        return server;
    }

    private void announce(String id, MasterState state, FakePuppetServer server) {
        if (!masters.contains(id)) {
            masters.add(id);
        }
        Instant now = Instant.now();
        publish(Topics.MASTERS, id, new MasterAnnouncement(id, MasterRole.COMPILE, server.url(), null, state, "test",
                now, now, 60_000));
    }

    /** Publishes a plan of {@code commit} with one git module pinned to {@code moduleSha} as the desired state. */
    private DeployPlan plan(String environment, String commit, String moduleSha) {
        environments.add(environment);
        DeployPlan plan = planOf(environment, commit, moduleSha);
        publish(Topics.DEPLOY_PLANS, plan.key(), plan);
        return plan;
    }

    private static DeployPlan planOf(String environment, String commit, String moduleSha) {
        PlannedModule stdlib = new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT,
                "https://git.example.net/stdlib.git", "main", moduleSha, null, false);
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, commit, List.of(stdlib),
                Rollout.IMMEDIATE, Instant.now());
    }

    private void deployed(DeployPlan plan, String masterId) {
        DeployResult result = DeployResult.of(plan.requestId(), masterId, plan.environment(), plan.commit(),
                DeployStatus.SUCCEEDED, Instant.now(), Instant.now(), null, null).withPlanDigest(plan.digest());
        publish(Topics.DEPLOY_RESULTS, result.key(), result);
    }

    /** A result as an r10k/g10k backend writes it: no plan digest. */
    private void deployedWithoutDigest(String masterId, String environment, String commit) {
        DeployResult result = DeployResult.of(UUID.randomUUID(), masterId, environment, commit,
                DeployStatus.SUCCEEDED, Instant.now(), Instant.now(), null, null);
        publish(Topics.DEPLOY_RESULTS, result.key(), result);
    }

    private void publish(String topic, String key, Event event) {
        send(topic, key, EventCodec.encode(event));
    }

    private void send(String topic, String key, byte[] value) {
        companion.produce(String.class, byte[].class).fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(WAIT);
    }

    private List<MasterStatus> records(String masterId) {
        return statuses.getRecords().stream()
                .filter(r -> masterId.equals(r.key()) && r.value() != null)
                .map(ConsumerRecord::value)
                .map(json -> EventCodec.decode(json, MasterStatus.class))
                .toList();
    }

    /** Waits until the latest status of {@code masterId} on the topic matches {@code condition}, and returns it. */
    private MasterStatus awaitStatus(String masterId, Predicate<MasterStatus> condition) {
        return await().atMost(WAIT).until(() -> latestMatching(masterId, condition), Optional::isPresent).get();
    }

    private Optional<MasterStatus> latestMatching(String masterId, Predicate<MasterStatus> condition) {
        List<MasterStatus> all = records(masterId);
        return all.isEmpty() || !condition.test(all.get(all.size() - 1)) ? Optional.empty()
                : Optional.of(all.get(all.size() - 1));
    }
}
