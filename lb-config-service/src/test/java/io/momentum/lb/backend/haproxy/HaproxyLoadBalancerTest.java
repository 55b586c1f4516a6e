package io.momentum.lb.backend.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.momentum.lb.backend.ConfigFiles;
import io.momentum.lb.backend.TemplateRenderer;
import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.ServerState;
import io.momentum.lb.testing.Binaries;
import io.momentum.lb.testing.HaproxyInstance;
import io.momentum.lb.testing.LoopbackBackends;
import io.momentum.lb.testing.Sets;
import io.momentum.lb.testing.Traffic;
import io.momentum.shared.event.LbResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HAProxy backend against the real haproxy binary (master-worker mode), in front of loopback backends. */
class HaproxyLoadBalancerTest {

    private static LoopbackBackends backends;

    @TempDir
    Path dir;

    private HaproxyInstance haproxy;
    private HaproxyLoadBalancer backend;

    @BeforeAll
    static void startBackends() throws Exception {
        backends = LoopbackBackends.start("cm1", "cm2", "cm3", "cm4");
    }

    @AfterAll
    static void stopBackends() {
        if (backends != null) {
            backends.close();
        }
    }

    @BeforeEach
    void startHaproxy() throws Exception {
        Assumptions.assumeTrue(Binaries.haproxy(), "haproxy is not installed");
        haproxy = new HaproxyInstance(dir.resolve("haproxy"));
        backend = backend(Optional.empty());
        // HAProxy is not running yet: the first file cannot be reloaded, so write it as an operator would
        assertThat(backend.apply(Sets.of(backends).active("cm1", "cm2").build()).result())
                .isEqualTo(LbResult.FAILED);
        Files.writeString(haproxy.configFile(), render(Sets.of(backends).active("cm1", "cm2")));
        haproxy.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(haproxy.masterSocket())
                && Files.exists(haproxy.adminSocket()) && Traffic.get(haproxy.port()).isPresent());
        awaitTraffic(Set.of("cm1", "cm2"));
    }

    @AfterEach
    void stopHaproxy() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @Test
    void aNewServerIsAddedWithAValidatedReload() throws Exception {
        List<String> workersBefore = haproxy.workerPids();

        ApplyOutcome outcome = backend.apply(Sets.of(backends).active("cm1", "cm2", "cm3").build());

        assertThat(outcome.result()).isEqualTo(LbResult.APPLIED);
        assertThat(outcome.reloaded()).isTrue();
        assertThat(haproxy.workerPids()).doesNotContainAnyElementsOf(workersBefore);
        awaitTraffic(Set.of("cm1", "cm2", "cm3"));

        assertThat(backend.apply(Sets.of(backends).active("cm3").build()).reloaded()).isTrue();
        awaitTraffic(Set.of("cm3"));
    }

    @Test
    void stateChangesGoThroughTheRuntimeApiWithoutAReloadAndSurviveOne() throws Exception {
        List<String> workersBefore = haproxy.workerPids();
        String procBefore = masterLine();

        ApplyOutcome drain = backend.apply(Sets.of(backends).draining("cm1").active("cm2").build());

        assertThat(drain.result()).isEqualTo(LbResult.APPLIED);
        assertThat(drain.reloaded()).isFalse();
        assertThat(haproxy.workerPids()).isEqualTo(workersBefore);
        assertThat(masterLine()).isEqualTo(procBefore);
        awaitTraffic(Set.of("cm2"));
        assertThat(haproxy.configFile()).content().contains("server cm1 " + backends.address("cm1") + " weight 0");

        ApplyOutcome swap = backend.apply(Sets.of(backends).active("cm1").maint("cm2").build());
        assertThat(swap.reloaded()).isFalse();
        assertThat(haproxy.workerPids()).isEqualTo(workersBefore);
        awaitTraffic(Set.of("cm1"));

        // an address change of an existing server (cm2 now lives where cm4 answers) is a Runtime API change too
        ApplyOutcome moved = backend.apply(Sets.of(backends).active("cm1")
                .at("cm2", backends.address("cm4"), ServerState.ACTIVE).build());
        assertThat(moved.reloaded()).isFalse();
        assertThat(haproxy.workerPids()).isEqualTo(workersBefore);
        awaitTraffic(Set.of("cm1", "cm4"));

        // a structural change reloads from the file, which already holds every runtime change
        assertThat(backend.apply(Sets.of(backends).active("cm1", "cm3")
                .at("cm2", backends.address("cm4"), ServerState.DRAINING).build()).reloaded()).isTrue();
        awaitTraffic(Set.of("cm1", "cm3"));
        assertThat(haproxy.admin("show servers state " + HaproxyInstance.BACKEND))
                .contains("cm2 127.0.0.1").contains(String.valueOf(port(backends.address("cm4"))));
    }

    @Test
    void anInvalidTemplateIsRejectedAndTrafficContinuesOnTheLastGoodConfig() throws Exception {
        byte[] live = Files.readAllBytes(haproxy.configFile());
        Path template = dir.resolve("broken.cfg");
        Files.writeString(template, """
                backend {backendName}
                {#for s in servers}
                    server {s.name} {s.address} no-such-keyword
                {/for}
                """);
        List<String> workersBefore = haproxy.workerPids();

        ApplyOutcome outcome = backend(Optional.of(template)).apply(Sets.of(backends).active("cm3").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("haproxy -c rejected").contains("no-such-keyword");
        assertThat(Files.readAllBytes(haproxy.configFile())).isEqualTo(live);
        assertThat(haproxy.workerPids()).isEqualTo(workersBefore);
        assertThat(Traffic.sample(haproxy.port(), 10)).containsExactlyInAnyOrder("cm1", "cm2");
    }

    @Test
    void aReloadCommandLikeSystemctlReloadReloadsTheMasterWorker() throws Exception {
        List<String> workersBefore = haproxy.workerPids();
        HaproxyLoadBalancer systemd = new HaproxyLoadBalancer("lb-test", haproxy.settings(haproxy.debianExecReload()),
                new TemplateRenderer(Optional.empty(), "templates/haproxy-backend.cfg"), Duration.ofSeconds(30));

        ApplyOutcome outcome = systemd.apply(Sets.of(backends).active("cm1", "cm2", "cm3").build());

        assertThat(outcome.result()).isEqualTo(LbResult.APPLIED);
        assertThat(outcome.reloaded()).isTrue();
        awaitTraffic(Set.of("cm1", "cm2", "cm3"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !workersBefore.containsAll(haproxy.workerPids()));
    }

    @Test
    void aFailedReloadCommandRestoresThePreviousFile() throws Exception {
        byte[] live = Files.readAllBytes(haproxy.configFile());
        List<String> workersBefore = haproxy.workerPids();
        HaproxyLoadBalancer failing = new HaproxyLoadBalancer("lb-test", haproxy.settings(List.of("false")),
                new TemplateRenderer(Optional.empty(), "templates/haproxy-backend.cfg"), Duration.ofSeconds(30));

        ApplyOutcome outcome = failing.apply(Sets.of(backends).active("cm1", "cm2", "cm3").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("reload failed, previous configuration restored");
        assertThat(Files.readAllBytes(haproxy.configFile())).isEqualTo(live);
        assertThat(haproxy.workerPids()).isEqualTo(workersBefore);
        assertThat(Traffic.sample(haproxy.port(), 10)).containsExactlyInAnyOrder("cm1", "cm2");
    }

    @Test
    void theSameSetWritesNothing() throws Exception {
        ApplyOutcome outcome = backend.apply(Sets.of(backends).active("cm1", "cm2").build());

        assertThat(outcome.result()).isEqualTo(LbResult.UNCHANGED);
        assertThat(outcome.configSha256()).isEqualTo(ConfigFiles.sha256(Files.readAllBytes(haproxy.configFile())));
    }

    private HaproxyLoadBalancer backend(Optional<Path> template) {
        return new HaproxyLoadBalancer("lb-test", haproxy.settings(),
                new TemplateRenderer(template, "templates/haproxy-backend.cfg"),
                Duration.ofSeconds(30));
    }

    private String render(Sets sets) {
        return new TemplateRenderer(Optional.empty(), "templates/haproxy-backend.cfg")
                .render(sets.build(), "lb-test", java.util.Map.of("backendName", HaproxyInstance.BACKEND));
    }

    private String masterLine() throws Exception {
        return haproxy.showProc().lines().filter(line -> line.contains("master")).findFirst().orElseThrow()
                .replaceAll("\\d+d\\d+h\\d+m\\d+s", "");
    }

    private void awaitTraffic(Set<String> expected) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> Traffic.sample(haproxy.port(), 12).equals(expected));
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
