package io.momentum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole command line, run in-process: help, usage errors, exit codes and what is never printed. */
class MomentumTest {

    static final String TOKEN = "t0ken-that-must-never-show";

    @TempDir
    Path home;

    final Map<String, String> environment = new HashMap<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void isolateFromTheRealHome() {
        environment.put("HOME", home.toString());
        environment.put("MOMENTUM_TOKEN", TOKEN);
    }

    int run(String... args) {
        return Momentum.execute(args, environment, false, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "status", "masters", "lb", "history", "modules", "rollback", "unpin",
        "completion"})
    void everyCommandHasHelpWithTheGlobalOptionsAndNoToken(String command) {
        int exit = run(command, "--help", "--token", TOKEN);

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Usage: momentum " + command).contains("--output=text|json")
                .contains("--server=URL").contains("--token-file=FILE").doesNotContain(TOKEN);
    }

    @Test
    void theTopLevelHelpListsCommandsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("deploy", "status", "masters", "lb", "history", "modules", "rollback",
                "unpin", "completion", "Exit codes: 0 ok");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("give a command");
    }

    @Test
    void deployNeedsEnvironmentsOrAllButNotBoth() {
        assertThat(run("deploy")).isEqualTo(ExitCode.USAGE);
        assertThat(run("deploy", "production", "--all")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("give environments or --all");
    }

    @Test
    void aBadTimeoutOrLimitIsAUsageError() {
        assertThat(run("deploy", "production", "--wait", "--timeout", "soon")).isEqualTo(ExitCode.USAGE);
        assertThat(run("history", "production", "--limit", "0")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anUnreachableServerExitsThreeWithoutShowingTheToken() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int exit = run("status", "--server", "http://127.0.0.1:" + port, "--token", TOKEN);

        assertThat(exit).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err.toString()).startsWith("momentum: error: cannot reach the Momentum server at http://127.0.0.1:"
                + port).doesNotContain(TOKEN);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutATokenTheErrorSaysWhereToPutOne() {
        environment.remove("MOMENTUM_TOKEN");

        assertThat(run("masters")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("no API token", "--token-file", "MOMENTUM_TOKEN");
    }

    @Test
    void aTokenGivenWithAMisspeltOptionIsNotEchoedInTheUsageError() {
        assertThat(run("status", "--tokn", TOKEN)).isEqualTo(ExitCode.USAGE);
        assertThat(run("status", "--tokn=" + TOKEN)).isEqualTo(ExitCode.USAGE);
        assertThat(run("status", "production", TOKEN)).isEqualTo(ExitCode.USAGE);

        assertThat(err.toString()).contains("Unknown option").contains("(hidden)").doesNotContain(TOKEN)
                .contains("Try 'momentum status --help'");
    }

    @Test
    void bashCompletionCompletesCommandsAndOptions() {
        assertThat(run("completion", "bash")).isZero();
        assertThat(out.toString()).contains("complete -F").contains("deploy").contains("rollback")
                .contains("--output");
        assertThat(run("completion", "fish")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void outputTakesTextOrJsonOnly() {
        assertThat(run("status", "-o", "yaml")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("text, json");
    }
}
