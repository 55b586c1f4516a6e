package io.momentum.lb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.lb.backend.TemplateRenderer;
import io.momentum.lb.backend.haproxy.HaproxyLoadBalancer;
import io.momentum.lb.backend.nginx.NginxLoadBalancer;
import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.LoadBalancer;
import io.momentum.lb.testing.Binaries;
import io.momentum.lb.testing.HaproxyInstance;
import io.momentum.lb.testing.LoopbackBackends;
import io.momentum.lb.testing.NginxInstance;
import io.momentum.lb.testing.Sets;
import io.momentum.lb.testing.Traffic;
import io.momentum.shared.event.LbResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the normal test run (surefire picks *Test classes only). Run with
 * {@code ./mvnw -B -o -q -pl lb-config-service test -Dtest=ChurnBenchmark}: continuous {@code Connection: close}
 * requests through the real nginx and HAProxy while 50 consecutive backend changes are applied; prints the failed
 * request count and the apply times.
 */
class ChurnBenchmark {

    private static final int CHANGES = 50;
    private static final String[] NAMES = {"cm1", "cm2", "cm3", "cm4"};

    @TempDir
    Path dir;

    @Test
    void nginx() throws Exception {
        Assumptions.assumeTrue(Binaries.nginxWithStream());
        try (LoopbackBackends backends = LoopbackBackends.start(NAMES);
                NginxInstance nginx = new NginxInstance(dir.resolve("nginx"))) {
            var settings = nginx.settings(List.of());
            NginxLoadBalancer backend = new NginxLoadBalancer("bench", settings,
                    new TemplateRenderer(Optional.empty(), NginxLoadBalancer.DEFAULT_TEMPLATE),
                    Duration.ofSeconds(30));
            new NginxLoadBalancer("bench", nginx.settings(List.of("true")),
                    new TemplateRenderer(Optional.empty(), NginxLoadBalancer.DEFAULT_TEMPLATE),
                    Duration.ofSeconds(30)).apply(change(backends, 0));
            nginx.start();
            run("nginx", nginx.port(), backend, i -> change(backends, i));
        }
    }

    @Test
    void haproxy() throws Exception {
        Assumptions.assumeTrue(Binaries.haproxy());
        try (LoopbackBackends backends = LoopbackBackends.start(NAMES);
                HaproxyInstance haproxy = new HaproxyInstance(dir.resolve("haproxy"))) {
            Files.writeString(haproxy.configFile(), new TemplateRenderer(Optional.empty(),
                    "templates/haproxy-backend.cfg").render(change(backends, 0), "bench",
                    Map.of("backendName", HaproxyInstance.BACKEND)));
            haproxy.start();
            HaproxyLoadBalancer backend = new HaproxyLoadBalancer("bench", haproxy.settings(),
                    new TemplateRenderer(Optional.empty(), "templates/haproxy-backend.cfg"),
                    Duration.ofSeconds(30));
            run("haproxy", haproxy.port(), backend, i -> change(backends, i));
        }
    }

    /**
     * Change i: every fourth change adds or removes a server (a reload for HAProxy), the others move drain and
     * maintenance between servers (Runtime API for HAProxy); always at least one active server.
     */
    private static BackendSet change(LoopbackBackends backends, int i) {
        Sets sets = Sets.of(backends);
        boolean withCm4 = (i / 4) % 2 == 0;
        for (int s = 0; s < 3; s++) {
            int role = (i + s) % 3;
            String name = NAMES[s];
            if (role == 0) {
                sets.active(name);
            } else if (role == 1) {
                sets.draining(name);
            } else {
                sets.maint(name);
            }
        }
        if (withCm4) {
            sets.active("cm4");
        }
        return sets.build();
    }

    private static void run(String label, int port, LoadBalancer backend, IntFunction<BackendSet> changes)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Traffic.get(port).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    if (Traffic.get(port).isPresent()) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        List<Long> applyMillis = new ArrayList<>();
        int reloads = 0;
        long failedAfterReload = 0;
        long failedAfterRuntimeChange = 0;
        for (int i = 1; i <= CHANGES; i++) {
            long failedBefore = failed.get();
            long start = System.nanoTime();
            ApplyOutcome outcome = backend.apply(changes.apply(i));
            applyMillis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertThat(outcome.result()).as(outcome.error() == null ? "" : outcome.error())
                    .isIn(LbResult.APPLIED, LbResult.UNCHANGED);
            reloads += outcome.reloaded() ? 1 : 0;
            Thread.sleep(200);
            if (outcome.reloaded()) {
                failedAfterReload += failed.get() - failedBefore;
            } else {
                failedAfterRuntimeChange += failed.get() - failedBefore;
            }
        }
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        List<Long> sorted = applyMillis.stream().sorted().toList();
        System.out.printf("BENCH %s: %d changes (%d reloads), %d requests ok, %d failed (%d around reloads, %d around"
                + " other changes); apply ms median %d, p90 %d, max %d%n", label, CHANGES, reloads, ok.get(),
                failed.get(), failedAfterReload, failedAfterRuntimeChange, sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() * 9 / 10), sorted.get(sorted.size() - 1));
        assertThat(failed.get()).isZero();
    }
}
