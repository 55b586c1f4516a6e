package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Rollout;
import io.momentum.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend with its environments directory on a real, small filesystem (a 1 MiB tmpfs; needs root, the
 * test is skipped where mounting is not permitted): a version that does not fit fails with the filesystem's own
 * "No space left on device", the live symlink and version stay as they were and no staging directory is left
 * behind; once there is room the same plan deploys.
 */
class DiskFullDeployTest {

    @TempDir
    Path dir;

    private Path environments;
    private GitRepo control;
    private boolean mounted;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        environments = Files.createDirectories(dir.resolve("environments"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=1m", "momentum-disk-full", environments.toString());
        assumeTrue(failure == null, "cannot mount a tmpfs here (needs root): " + failure);
        mounted = true;
        control = GitRepo.createBare(dir.resolve("control.git"));
    }

    @AfterEach
    void unmount() throws Exception {
        if (control != null) {
            control.close();
        }
        if (mounted) {
            assertThat(run("umount", environments.toString())).isNull();
        }
    }

    @Test
    void aVersionThatDoesNotFitFailsClearlyKeepsTheLiveOneAndDeploysOnceThereIsRoom() throws Exception {
        try (NativeDeployer deployer = new NativeDeployer(new DeployerSettings(environments, dir.resolve("cache"),
                List.of(TestSources.source("control", control.url(), null)), "http://127.0.0.1:9", 4,
                Duration.ofSeconds(30), null, GitRemotesFixture.plain(dir), "rugged", 3))) {
            String v1 = control.commit("production", Map.of("Puppetfile", "", "site.pp", "# v1\n"));
            assertThat(deployer.deploy(plan(v1)).commit()).isEqualTo(v1);
            Path live = environments.resolve("production");
            Path liveVersion = Files.readSymbolicLink(live);

            String v2 = control.commit("production", Map.of("site.pp", "# v2\n",
                    "files/large.bin", "x".repeat(2 << 20)));
            DeployPlan tooLarge = plan(v2);
            assertThatThrownBy(() -> deployer.deploy(tooLarge)).isInstanceOf(DeployException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(Files.readSymbolicLink(live)).isEqualTo(liveVersion);
            assertThat(live.resolve("site.pp")).hasContent("# v1");
            assertThat(deployer.deployedEnvironments()).isEqualTo(Map.of("production", v1));
            try (Stream<Path> entries = Files.list(environments.resolve(".momentum/production"))) {
                assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".staging-"));
            }

            assertThat(run("mount", "-o", "remount,size=8m", environments.toString())).isNull();
            assertThat(deployer.deploy(tooLarge).commit()).isEqualTo(v2);
            assertThat(live.resolve("site.pp")).hasContent("# v2");
            assertThat(Files.size(live.resolve("files/large.bin"))).isEqualTo(2 << 20);
        }
    }

    private static DeployPlan plan(String commit) {
        return DeployPlan.planned(UUID.randomUUID(), "production", "control", "production", commit, List.of(),
                Rollout.IMMEDIATE, Instant.now());
    }

    /** Runs a command: null when it worked, else its output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " timed out";
        }
        String output = new String(process.getInputStream().readAllBytes());
        return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output.strip();
    }
}
