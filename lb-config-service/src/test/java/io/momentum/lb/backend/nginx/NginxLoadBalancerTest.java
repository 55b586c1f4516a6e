package io.momentum.lb.backend.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.momentum.lb.backend.ConfigFiles;
import io.momentum.lb.backend.TemplateRenderer;
import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.Reconciler;
import io.momentum.lb.domain.RevisionCounter;
import io.momentum.lb.state.RevisionFile;
import io.momentum.lb.testing.Binaries;
import io.momentum.lb.testing.LoopbackBackends;
import io.momentum.lb.testing.NginxInstance;
import io.momentum.lb.testing.Sets;
import io.momentum.lb.testing.Traffic;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
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

/** The nginx backend against the real nginx binary, in front of loopback HTTP backends. */
class NginxLoadBalancerTest {

    private static LoopbackBackends backends;

    @TempDir
    Path dir;

    private NginxInstance nginx;

    @BeforeAll
    static void startBackends() throws Exception {
        backends = LoopbackBackends.start("cm1", "cm2", "cm3");
    }

    @AfterAll
    static void stopBackends() {
        if (backends != null) {
            backends.close();
        }
    }

    @BeforeEach
    void startNginx() throws Exception {
        Assumptions.assumeTrue(Binaries.nginxWithStream(), "nginx with the stream module is not installed");
        nginx = new NginxInstance(dir.resolve("nginx"));
        NginxLoadBalancer bootstrap = backend(List.of("true"), Optional.empty());
        assertThat(bootstrap.apply(Sets.of(backends).active("cm1").build()).result()).isEqualTo(LbResult.APPLIED);
        nginx.start();
        awaitTraffic(Set.of("cm1"));
    }

    @AfterEach
    void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aStatusChangeMakesTrafficReachExactlyTheRoutableBackends() {
        NginxLoadBalancer backend = backend(List.of(), Optional.empty());

        ApplyOutcome outcome = backend.apply(Sets.of(backends).active("cm1", "cm2").build());
        assertThat(outcome.result()).isEqualTo(LbResult.APPLIED);
        assertThat(outcome.reloaded()).isTrue();
        awaitTraffic(Set.of("cm1", "cm2"));

        assertThat(backend.apply(Sets.of(backends).draining("cm1").active("cm2", "cm3").build()).result())
                .isEqualTo(LbResult.APPLIED);
        awaitTraffic(Set.of("cm2", "cm3"));
        assertThat(nginx.outputFile()).content().contains("down;  # cm1 draining");
    }

    @Test
    void anInvalidTemplateIsRejectedAndTrafficContinuesOnTheLastGoodConfig() throws Exception {
        byte[] live = Files.readAllBytes(nginx.outputFile());
        Path template = dir.resolve("broken.conf");
        Files.writeString(template, """
                upstream {upstream} {
                {#for s in servers}
                    server {s.address} bogus_parameter;
                {/for}
                }
                """);

        ApplyOutcome outcome = backend(List.of(), Optional.of(template))
                .apply(Sets.of(backends).active("cm2", "cm3").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("nginx -t rejected").contains("bogus_parameter");
        assertThat(Files.readAllBytes(nginx.outputFile())).isEqualTo(live);
        assertThat(outcome.configSha256()).isEqualTo(ConfigFiles.sha256(live));
        assertThat(Traffic.sample(nginx.port(), 10)).containsExactly("cm1");
        assertThat(leftoverCandidates()).isEmpty();
    }

    @Test
    void aTemplateWithAnUnknownNameFailsBeforeAnythingIsWritten() throws Exception {
        Path template = dir.resolve("typo.conf");
        Files.writeString(template, "upstream {upstraem} { server 127.0.0.1:1; }\n");
        byte[] live = Files.readAllBytes(nginx.outputFile());

        ApplyOutcome outcome = backend(List.of(), Optional.of(template)).apply(Sets.of(backends).active("cm2").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("template");
        assertThat(Files.readAllBytes(nginx.outputFile())).isEqualTo(live);
    }

    @Test
    void aFailedReloadRestoresThePreviousFile() throws Exception {
        byte[] live = Files.readAllBytes(nginx.outputFile());

        ApplyOutcome outcome = backend(List.of("false"), Optional.empty())
                .apply(Sets.of(backends).active("cm2").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("reload failed");
        assertThat(Files.readAllBytes(nginx.outputFile())).isEqualTo(live);
        assertThat(Traffic.sample(nginx.port(), 10)).containsExactly("cm1");
    }

    @Test
    void inReloadModeTheReloadRefusesAnInvalidIncludeAndThePreviousFileIsRestored() throws Exception {
        byte[] live = Files.readAllBytes(nginx.outputFile());
        Path template = dir.resolve("broken.conf");
        Files.writeString(template, """
                upstream {upstream} {
                {#for s in servers}
                    server {s.address} bogus_parameter;
                {/for}
                }
                """);
        NginxLoadBalancer backend = reloadValidated(Optional.of(template));

        ApplyOutcome outcome = backend.apply(Sets.of(backends).active("cm2", "cm3").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("reload failed, previous configuration restored")
                .contains("bogus_parameter");
        assertThat(Files.readAllBytes(nginx.outputFile())).isEqualTo(live);
        assertThat(outcome.configSha256()).isEqualTo(ConfigFiles.sha256(live));
        assertThat(Traffic.sample(nginx.port(), 10)).containsExactly("cm1");
        assertThat(leftoverCandidates()).isEmpty();
        // the master kept running on the previous configuration: the restore's reload accepted it again
        assertThat(reloadValidated(Optional.empty()).apply(Sets.of(backends).active("cm3").build()).result())
                .isEqualTo(LbResult.APPLIED);
        awaitTraffic(Set.of("cm3"));
    }

    @Test
    void inReloadModeAValidChangeIsSwappedInAndReloadedWithoutATestRun() throws Exception {
        NginxLoadBalancer backend = reloadValidated(Optional.empty());

        ApplyOutcome outcome = backend.apply(Sets.of(backends).active("cm1", "cm2").build());

        assertThat(outcome.result()).isEqualTo(LbResult.APPLIED);
        assertThat(outcome.reloaded()).isTrue();
        awaitTraffic(Set.of("cm1", "cm2"));
        try (var files = Files.list(nginx.outputFile().getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("puppet.conf");
        }
    }

    @Test
    void inReloadModeAMainConfigThatDoesNotIncludeTheOutputFileIsStillReported() throws Exception {
        Files.writeString(nginx.mainConfig(), "events {}\nstream { }\n");

        ApplyOutcome outcome = reloadValidated(Optional.empty()).apply(Sets.of(backends).active("cm2").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("does not include " + nginx.outputFile());
    }

    @Test
    void anUnknownValidationIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> nginx.settings(List.of(), "nginx-t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum.lb.nginx.validation").hasMessageContaining("nginx-t");
    }

    @Test
    void theSameSetWritesNothingAndDoesNotReload() throws Exception {
        NginxLoadBalancer backend = backend(List.of("false"), Optional.empty());
        FileTime before = Files.getLastModifiedTime(nginx.outputFile());

        ApplyOutcome outcome = backend.apply(Sets.of(backends).active("cm1").build());

        assertThat(outcome.result()).isEqualTo(LbResult.UNCHANGED);
        assertThat(outcome.configSha256()).isEqualTo(backend.liveSha256());
        assertThat(Files.getLastModifiedTime(nginx.outputFile())).isEqualTo(before);
    }

    @Test
    void anEmptySetIsRefusedAndTrafficContinues() throws Exception {
        byte[] live = Files.readAllBytes(nginx.outputFile());
        Reconciler reconciler = new Reconciler("lb-test", List.of(backend(List.of(), Optional.empty())),
                new RevisionCounter(new RevisionFile(dir.resolve("state"))), Clock.systemUTC());

        List<LbConfigApplied> events = reconciler.reconcile(Sets.of(backends).draining("cm1").maint("cm2").build());

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.result()).isEqualTo(LbResult.REJECTED);
            assertThat(event.error()).contains("without a routable master");
            assertThat(event.configSha256()).isEqualTo(ConfigFiles.sha256(live));
        });
        assertThat(Files.readAllBytes(nginx.outputFile())).isEqualTo(live);
        assertThat(Traffic.sample(nginx.port(), 10)).containsExactly("cm1");
    }

    @Test
    void theCandidateMainConfigIncludesTheCandidateAndAbsoluteOtherIncludes() throws Exception {
        Files.writeString(nginx.mainConfig(), """
                include /etc/nginx/modules-enabled/*.conf;
                http {
                    include mime.types;
                    # include momentum/puppet.conf;
                }
                stream { include "momentum/puppet.conf"; }
                """);
        String candidate = backend(List.of(), Optional.empty())
                .candidateMainConfig(Path.of("/tmp/.candidate.tmp"));

        assertThat(candidate).contains("include \"/etc/nginx/modules-enabled/*.conf\";")
                .contains("include \"" + nginx.mainConfig().getParent().resolve("mime.types") + "\";")
                .contains("# include momentum/puppet.conf;")
                .contains("stream { include \"/tmp/.candidate.tmp\"; }");
    }

    @Test
    void aMainConfigThatDoesNotIncludeTheOutputFileIsReported() throws Exception {
        Files.writeString(nginx.mainConfig(), "events {}\nstream { }\n");

        ApplyOutcome outcome = backend(List.of(), Optional.empty()).apply(Sets.of(backends).active("cm2").build());

        assertThat(outcome.result()).isEqualTo(LbResult.FAILED);
        assertThat(outcome.error()).contains("does not include " + nginx.outputFile());
    }

    private NginxLoadBalancer backend(List<String> reloadCommand, Optional<Path> template) {
        NginxSettings settings = nginx.settings(reloadCommand);
        return new NginxLoadBalancer("lb-test", settings,
                new TemplateRenderer(template, NginxLoadBalancer.DEFAULT_TEMPLATE), Duration.ofSeconds(30));
    }

    /**
     * validation=reload with what {@code systemctl reload nginx} runs on Debian (its ExecReload): nginx parses the
     * configuration and signals the master only when it is valid.
     */
    private NginxLoadBalancer reloadValidated(Optional<Path> template) {
        List<String> debianExecReload = nginx.settings(List.of()).command("-g", "daemon on; master_process on;",
                "-s", "reload");
        NginxSettings settings = nginx.settings(debianExecReload, "reload");
        return new NginxLoadBalancer("lb-test", settings,
                new TemplateRenderer(template, NginxLoadBalancer.DEFAULT_TEMPLATE), Duration.ofSeconds(30));
    }

    private void awaitTraffic(Set<String> expected) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> Traffic.sample(nginx.port(), 12).equals(expected));
    }

    private List<Path> leftoverCandidates() throws Exception {
        try (var files = Files.list(nginx.outputFile().getParent())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
