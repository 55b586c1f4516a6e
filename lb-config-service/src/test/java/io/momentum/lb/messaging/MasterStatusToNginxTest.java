package io.momentum.lb.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.momentum.lb.backend.TemplateRenderer;
import io.momentum.lb.backend.nginx.NginxLoadBalancer;
import io.momentum.lb.domain.Reconciler;
import io.momentum.lb.domain.RevisionCounter;
import io.momentum.lb.domain.Statuses;
import io.momentum.lb.domain.UpstreamFleet;
import io.momentum.lb.state.RevisionFile;
import io.momentum.lb.testing.Binaries;
import io.momentum.lb.testing.InjectNginx;
import io.momentum.lb.testing.LoopbackBackends;
import io.momentum.lb.testing.NginxInstance;
import io.momentum.lb.testing.NginxTestResource;
import io.momentum.lb.testing.Traffic;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.InjectKafkaBroker;
import io.momentum.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end through the embedded broker and the real nginx: MasterStatus records on the topic become a validated,
 * reloaded nginx configuration, traffic reaches exactly the routable masters, and every attempt is published.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(NginxTestResource.class)
class MasterStatusToNginxTest {

    private static final Logger LOG = Logger.getLogger(MasterStatusToNginxTest.class);

    @InjectKafkaBroker
    KafkaBroker broker;

    @InjectNginx
    NginxInstance nginx;

    @Test
    void statusRecordsBecomeALiveNginxConfigurationAndAnAuditTrail() throws Exception {
        Assumptions.assumeTrue(Binaries.nginxWithStream(), "nginx with the stream module is not installed");
        try (LoopbackBackends backends = LoopbackBackends.start("cm1", "cm2", "cm3");
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            ConsumerTask<String, String> changes = companion.consumeStrings().fromTopics(Topics.LB_CHANGES);

            long sent = System.nanoTime();
            produce(companion, "cm1", EventCodec.encodeToString(Statuses.routable("cm1", backends.address("cm1"))));
            produce(companion, "cm2", EventCodec.encodeToString(Statuses.routable("cm2", backends.address("cm2"))));
            produce(companion, "cm3", EventCodec.encodeToString(Statuses.down("cm3", backends.address("cm3"))));
            produce(companion, "junk", "{not json");
            awaitTraffic(Set.of("cm1", "cm2"));
            LOG.infof("MasterStatus on the topic -> new backend set serving traffic: %d ms",
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());

            LbConfigApplied applied = awaitChange(changes, e -> e.result() == LbResult.APPLIED
                    && e.backends().size() == 2);
            assertThat(applied.lbId()).isEqualTo("lb-test");
            assertThat(applied.backend()).isEqualTo("nginx");
            assertThat(applied.configSha256())
                    .isEqualTo(sha256(Files.readAllBytes(nginx.outputFile())));
            assertThat(nginx.outputFile()).content().contains("server " + backends.address("cm1") + ";  # cm1")
                    .contains("# cm3 " + backends.address("cm3") + " not routable");

            given().auth().oauth2("reader-test-token").get("/api/v1/backends").then().statusCode(200)
                    .body("lbId", equalTo("lb-test"))
                    .body("caughtUp", equalTo(true))
                    .body("desired.masterId", hasItems("cm1", "cm2", "cm3"))
                    .body("backends.nginx.lastAttempt.result", equalTo("APPLIED"))
                    .body("backends.nginx.live.masterId", hasItems("cm1", "cm2"));

            sent = System.nanoTime();
            produce(companion, "cm1", null);
            produce(companion, "cm3", EventCodec.encodeToString(Statuses.routable("cm3", backends.address("cm3"))));
            awaitTraffic(Set.of("cm2", "cm3"));
            LOG.infof("tombstone + status change -> new backend set serving traffic: %d ms",
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());

            produce(companion, "cm2", EventCodec.encodeToString(Statuses.draining("cm2", backends.address("cm2"))));
            produce(companion, "cm3", EventCodec.encodeToString(Statuses.down("cm3", backends.address("cm3"))));
            LbConfigApplied rejected = awaitChange(changes, e -> e.result() == LbResult.REJECTED
                    && e.revision() > applied.revision());
            assertThat(rejected.error()).contains("without a routable master");
            // the two records may land in one debounce window or two: either way the last good set keeps serving
            Set<String> lastGood = rejected.backends().stream().filter(b -> !b.draining())
                    .map(b -> b.masterId()).collect(java.util.stream.Collectors.toSet());
            assertThat(lastGood).isNotEmpty();
            assertThat(Traffic.sample(nginx.port(), 10)).isEqualTo(lastGood);

            produce(companion, "cm3", EventCodec.encodeToString(Statuses.routable("cm3", backends.address("cm3"))));
            awaitTraffic(Set.of("cm3"));
            awaitChange(changes, e -> e.result() == LbResult.APPLIED && e.backends().size() == 2
                    && e.backends().get(0).draining());

            assertARestartRendersTheSameBytes(companion);
            changes.stop();
        }
    }

    /** A fresh service (wiped state dir) replaying the compacted topic renders the same file and writes nothing. */
    private void assertARestartRendersTheSameBytes(KafkaCompanion companion) throws Exception {
        byte[] live = Files.readAllBytes(nginx.outputFile());
        UpstreamFleet fleet = new UpstreamFleet(true);
        ConsumerTask<String, String> replay = companion.consumeStrings().fromTopics(Topics.MASTER_STATUS,
                Duration.ofSeconds(3));
        replay.awaitCompletion(Duration.ofSeconds(30));
        for (ConsumerRecord<String, String> record : replay.getRecords()) {
            try {
                fleet.update(record.key(), record.value() == null ? null
                        : EventCodec.decode(record.value(), MasterStatus.class));
            } catch (RuntimeException malformed) {
                // the junk record, skipped as the service does
            }
        }
        var settings = nginx.settings(List.of());
        NginxLoadBalancer fresh = new NginxLoadBalancer("lb-test", settings,
                new TemplateRenderer(Optional.empty(), NginxLoadBalancer.DEFAULT_TEMPLATE), Duration.ofSeconds(30));
        Path wipedState = Files.createTempDirectory("wiped-state");
        LbConfigApplied event = new Reconciler("lb-test", List.of(fresh),
                new RevisionCounter(new RevisionFile(wipedState)), Clock.systemUTC()).reconcile(fleet.desired()).get(0);

        assertThat(event.result()).isEqualTo(LbResult.UNCHANGED);
        assertThat(Files.readAllBytes(nginx.outputFile())).isEqualTo(live);
    }

    private static void produce(KafkaCompanion companion, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.MASTER_STATUS, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private static LbConfigApplied awaitChange(ConsumerTask<String, String> changes,
            java.util.function.Predicate<LbConfigApplied> wanted) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> changes.getRecords().stream()
                .map(record -> EventCodec.decode(record.value(), LbConfigApplied.class)).filter(wanted)
                .reduce((first, second) -> second), Optional::isPresent).orElseThrow();
    }

    private void awaitTraffic(Set<String> expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Traffic.sample(nginx.port(), 8).equals(expected));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
