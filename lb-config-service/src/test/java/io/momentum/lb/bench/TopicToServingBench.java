package io.momentum.lb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.lb.domain.Statuses;
import io.momentum.lb.testing.Binaries;
import io.momentum.lb.testing.LoopbackBackends;
import io.momentum.lb.testing.Traffic;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import io.momentum.shared.json.EventCodec;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire's default includes do not match it): the time from a MasterStatus change
 * published on {@code momentum.master-status} until traffic through the real nginx or HAProxy follows it, through
 * the whole service (embedded broker, consumer, debounce at its production default of 500 ms, render, validate,
 * reload or Runtime API).
 *
 * <p>Two masters (loopback HTTP servers answering their names) start routable; then cm2 alternately turns not
 * routable (measured until the last request reaching cm2: the first request of {@value #STREAK} in a row answered by
 * cm1 marks the change) and routable again (measured until the first request reaching cm2). Sequential
 * {@code Connection: close} requests poll the load balancer meanwhile; each sample waits for the service to report
 * the attempt on {@code momentum.lb-changes} before the next one. Two warm-up samples, then
 * {@code bench.samples} (default 20) measured ones; prints min, median, p99 and max.
 *
 * <p>Each load balancer runs in its own application (one test profile each), so neither's apply delays the other's:
 * {@code ./mvnw -B -q -pl lb-config-service test -Dtest='TopicToServingBench*'
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
abstract class TopicToServingBench {

    private static final int STREAK = 10;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(30);

    @QuarkusTest
    @TestProfile(NginxProfile.class)
    static class Nginx extends TopicToServingBench {
    }

    @QuarkusTest
    @TestProfile(HaproxyProfile.class)
    static class Haproxy extends TopicToServingBench {
    }

    public static final class NginxProfile extends Profile {
        public NginxProfile() {
            super("nginx");
        }
    }

    public static final class HaproxyProfile extends Profile {
        public HaproxyProfile() {
            super("haproxy");
        }
    }

    /** Production debounce, only this benchmark's resources (not the module's other tests' nginx). */
    abstract static class Profile implements QuarkusTestProfile {

        private final String lb;

        Profile(String lb) {
            this.lb = lb;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("momentum.lb.debounce", "500ms", "momentum.lb.max-wait", "5s",
                    "momentum.lb.lb-id", "bench-" + lb);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedKafkaResource.class),
                    new TestResourceEntry(ServingLoadBalancerResource.class, Map.of("lb", lb)));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void statusChangeToServingTraffic() throws Exception {
        Config config = ConfigProvider.getConfig();
        String lb = config.getValue("bench.lb.name", String.class);
        int port = config.getValue("bench.lb.port", Integer.class);
        Assumptions.assumeTrue(lb.equals("nginx") ? Binaries.nginxWithStream() : Binaries.haproxy(),
                lb + " is not installed");
        int samples = Integer.getInteger("bench.samples", 20);
        try (LoopbackBackends backends = LoopbackBackends.start("cm1", "cm2");
                KafkaCompanion companion = new KafkaCompanion(config.getValue("kafka.bootstrap.servers",
                        String.class))) {
            ConsumerTask<String, String> changes = companion.consumeStrings().fromTopics(Topics.LB_CHANGES);
            MasterStatus cm2Up = Statuses.routable("cm2", backends.address("cm2"));
            MasterStatus cm2Down = Statuses.down("cm2", backends.address("cm2"));
            produce(companion, Statuses.routable("cm1", backends.address("cm1")));
            produce(companion, cm2Up);
            long deadline = System.nanoTime() + SAMPLE_TIMEOUT.toNanos();
            while (!Traffic.sample(port, 8).equals(Set.of("cm1", "cm2"))) {
                assertThat(System.nanoTime()).as("traffic reaches cm1 and cm2 through " + lb).isLessThan(deadline);
                Thread.sleep(20);
            }
            long revision = awaitAttempt(changes, -1, 2);

            List<Double> removals = new ArrayList<>();
            List<Double> additions = new ArrayList<>();
            long failedRequests = 0;
            for (int i = 0; i < samples + 2; i++) {
                boolean remove = i % 2 == 0;
                long start = System.nanoTime();
                produce(companion, remove ? cm2Down : cm2Up);
                Sample sample = remove ? untilGone(port, start) : untilServing(port, start);
                revision = awaitAttempt(changes, revision, remove ? 1 : 2);
                Thread.sleep(200);
                if (i >= 2) {
                    (remove ? removals : additions).add(sample.millis());
                    failedRequests += sample.failed();
                }
            }
            List<Double> all = new ArrayList<>(removals);
            all.addAll(additions);
            System.out.printf("%nBENCH topic-to-serving lb=%s samples=%d min=%.0f median=%.0f p99=%.0f max=%.0f"
                    + " (ms; cm2 out: median %.0f, cm2 back: median %.0f; debounce 500 ms included;"
                    + " failed requests %d)%n%n", lb, all.size(), percentile(all, 0), percentile(all, 50),
                    percentile(all, 99), percentile(all, 100), percentile(removals, 50), percentile(additions, 50),
                    failedRequests);
            changes.stop();
        }
    }

    private record Sample(double millis, long failed) {
    }

    /** Until {@value #STREAK} requests in a row reach cm1 only; the first of them marks the change. */
    private static Sample untilGone(int port, long start) throws InterruptedException {
        long deadline = start + SAMPLE_TIMEOUT.toNanos();
        long streakStart = 0;
        int streak = 0;
        long failed = 0;
        while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            Optional<String> answer = Traffic.get(port);
            if (answer.isEmpty()) {
                failed++;
            } else if (answer.get().equals("cm2")) {
                streak = 0;
            } else if (streak++ == 0) {
                streakStart = sent;
            }
            if (streak >= STREAK) {
                return new Sample((streakStart - start) / 1e6, failed);
            }
        }
        throw new IllegalStateException("cm2 still served " + SAMPLE_TIMEOUT + " after it turned not routable");
    }

    /** Until a request reaches cm2. */
    private static Sample untilServing(int port, long start) {
        long deadline = start + SAMPLE_TIMEOUT.toNanos();
        long failed = 0;
        while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            Optional<String> answer = Traffic.get(port);
            if (answer.isEmpty()) {
                failed++;
            } else if (answer.get().equals("cm2")) {
                return new Sample((sent - start) / 1e6, failed);
            }
        }
        throw new IllegalStateException("cm2 not served " + SAMPLE_TIMEOUT + " after it turned routable");
    }

    /**
     * Waits until the service reported an APPLIED attempt newer than {@code after} that routes {@code routed}
     * masters; returns its revision. Any other outcome fails the benchmark.
     */
    private static long awaitAttempt(ConsumerTask<String, String> changes, long after, int routed)
            throws InterruptedException {
        long deadline = System.nanoTime() + SAMPLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var record : changes.getRecords()) {
                LbConfigApplied event = EventCodec.decode(record.value(), LbConfigApplied.class);
                if (event.revision() <= after) {
                    continue;
                }
                // the service starts with an empty fleet: that first attempt is refused
                assertThat(event.result()).as(String.valueOf(event.error())).isIn(LbResult.APPLIED,
                        after < 0 ? LbResult.REJECTED : LbResult.APPLIED);
                if (event.result() == LbResult.APPLIED && event.backends().size() == routed) {
                    return event.revision();
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no APPLIED attempt with " + routed + " masters after revision " + after
                + " on " + Topics.LB_CHANGES);
    }

    private static void produce(KafkaCompanion companion, MasterStatus status) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.MASTER_STATUS, status.masterId(),
                EventCodec.encodeToString(status))).awaitCompletion(Duration.ofSeconds(30));
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
