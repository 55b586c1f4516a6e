package io.momentum.service.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    @Test
    void runsAnArgumentArrayWithoutAShell(@TempDir Path dir) {
        ProcessResult result = ProcessRunner.run(Command.of(List.of("echo", "a; rm -rf /", "$HOME"),
                Duration.ofSeconds(10)).in(dir));
        assertThat(result.ok()).isTrue();
        assertThat(result.output()).isEqualTo("a; rm -rf / $HOME");
    }

    @Test
    void passesEnvironmentAndReportsExitCodeWithTheOutputsEnd(@TempDir Path dir) {
        ProcessResult result = ProcessRunner.run(Command.of(List.of("sh", "-c", "echo \"$SECRET_FILE\"; exit 3"),
                Duration.ofSeconds(10)).withEnvironment(Map.of("SECRET_FILE", "/run/secret")));
        assertThat(result.ok()).isFalse();
        assertThat(result.ending()).isEqualTo(ProcessResult.Ending.EXITED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.describe()).isEqualTo("sh exited with 3: /run/secret");
    }

    @Test
    void keepsOnlyTheEndOfALongOutput() {
        ProcessResult result = ProcessRunner.run(Command.of(List.of("sh", "-c", "seq 1 100000"),
                Duration.ofSeconds(20)).keepingLast(12));
        assertThat(result.ok()).isTrue();
        assertThat(result.output()).endsWith("100000").hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void killsTheWholeTreeOnTimeout(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        ProcessResult result = ProcessRunner.run(Command.of(List.of("sh", "-c",
                "sleep 60 & echo $! > " + pidFile + "; wait"), Duration.ofMillis(700)));
        assertThat(result.ending()).isEqualTo(ProcessResult.Ending.TIMED_OUT);
        assertThat(result.describe()).startsWith("sh did not finish in time and was killed");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Thread.sleep(200);
        assertThat(running(child)).isFalse();
    }

    /** Alive and not a zombie (an orphan killed here may wait for a reaper that a container does not have). */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String fields = Files.readString(stat);
        return !fields.substring(fields.lastIndexOf(')') + 2).startsWith("Z");
    }

    @Test
    void aMissingProgramIsAClearResultNotAnException() {
        ProcessResult result = ProcessRunner.run(Command.of(List.of("/nonexistent/r10k", "deploy"),
                Duration.ofSeconds(5)));
        assertThat(result.ending()).isEqualTo(ProcessResult.Ending.NOT_STARTED);
        assertThat(result.describe()).startsWith("cannot run r10k: ");
    }
}
