package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code momentum} command line, run through {@code deploy/bin/momentum} as an operator runs it, against
 * the live local fleet of two masters (mom and cm1) it shares with ConsoleIT ({@link OperatorFleet}).
 */
@ExtendWith(OperatorFleet.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    static final String SERVER = "http://127.0.0.1:" + (8088 + OperatorFleet.PORT_OFFSET);
    static final List<String> MASTERS = List.of("mom", "cm1");

    static LocalFleet fleet;

    @TempDir
    static Path work;

    @BeforeAll
    static void useFleet(OperatorFleet.Started started) {
        fleet = started.fleet();
        // The ready-made command line the quickstart prints works as printed.
        assertThat(started.upOutput()).contains("MOMENTUM_SERVER=" + SERVER + " MOMENTUM_TOKEN_FILE="
                + fleet.state.resolve("api-token") + " deploy/bin/momentum status");
    }

    @Test
    @Order(1)
    void deployWaitPrintsALinePerMasterAndExitsZeroOnceEveryMasterSucceeded() {
        Run deploy = momentum("deploy", "production", "--wait", "--timeout", "90s");

        assertThat(deploy.exit()).as(deploy.toString()).isZero();
        for (String master : MASTERS) {
            // The quickstart deployed production already: the planner answers with the same plan, already current.
            assertThat(deploy.out()).containsPattern("production +" + master + " +(succeeded in \\d|already current)");
        }
        assertThat(deploy.out()).contains("OK: 2 of 2 deploys succeeded");
        // Without a terminal: plain lines, no cursor movement.
        assertThat(deploy.out()).doesNotContain("\u001b[");
    }

    @Test
    @Order(2)
    void statusMastersModulesHistoryAndLbInTextAndJson() {
        Run status = momentum("status");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).startsWith("ENVIRONMENT  MASTER").containsPattern("production +mom +[0-9a-f]{8}"
                + " +[0-9a-f]{12} +live +SUCCEEDED").containsPattern("development +cm1 ");
        assertJson(momentum("status", "production", "-o", "json"), "\"environment\" : \"production\"");

        Run masters = momentum("masters");
        assertThat(masters.exit()).as(masters.toString()).isZero();
        assertThat(masters.out()).containsPattern("mom +mom +UP +yes +yes").containsPattern("cm1 +compile +UP");
        assertJson(momentum("masters", "--output", "json"), "\"masterId\" : \"cm1\"");

        Run modules = momentum("modules", "production");
        assertThat(modules.exit()).as(modules.toString()).isZero();
        assertThat(modules.out()).containsPattern("motd +git +main +[0-9a-f]{12} +all")
                .containsPattern("ntp +git +main +[0-9a-f]{12} +all");
        assertJson(momentum("modules", "production", "-o", "json"), "\"name\" : \"motd\"");

        Run history = momentum("history", "production");
        assertThat(history.exit()).as(history.toString()).isZero();
        assertThat(history.out()).contains("manual branch production").containsPattern("  mom +SUCCEEDED");
        assertJson(momentum("history", "production", "-o", "json", "--limit", "1"), "\"deploys\" : [");

        Run lb = momentum("lb");
        assertThat(lb.exit()).as(lb.toString()).isZero();
        assertThat(lb.out()).contains("load balancer quickstart (nginx)").containsPattern("  mom +127\\.0\\.0\\.1:");
        assertJson(momentum("lb", "-o", "json"), "\"loadBalancers\" : [");
    }

    @Test
    @Order(3)
    void eachKindOfTroubleHasItsOwnExitCodeAndNeverShowsTheToken() {
        String token = fleet.readState("api-token").trim();

        Run wrongToken = momentum(Map.of("MOMENTUM_TOKEN", "not-the-token"), "status");
        assertThat(wrongToken.exit()).isEqualTo(4);
        assertThat(wrongToken.err()).contains("refused the token");

        Run unknown = momentum("history", "no_such_environment");
        assertThat(unknown.exit()).isEqualTo(5);
        assertThat(unknown.err()).contains("no environment no_such_environment is known");

        Run invalid = momentum("rollback", "production", "--plan", "not-a-digest");
        assertThat(invalid.exit()).isEqualTo(6);
        assertThat(invalid.err()).contains("refused (400)").contains("plan digest");

        Run unreachable = momentum("status", "--server", "http://127.0.0.1:" + (8087 + OperatorFleet.PORT_OFFSET));
        assertThat(unreachable.exit()).isEqualTo(3);

        for (Run run : List.of(wrongToken, unknown, invalid, unreachable)) {
            assertThat(run.out() + run.err()).doesNotContain(token);
        }
    }

    @Test
    @Order(4)
    void aRollbackAndAnUnpinWaitForEveryMaster() {
        String pushed = fleet.pushAppended(fleet.cloneControl(work, "production"), "manifests/site.pp",
                "# cli rollback " + System.nanoTime() + "\n", "cli e2e");
        Run deploy = momentum("deploy", "production", "--wait", "--timeout", "90s");
        assertThat(deploy.exit()).as(deploy.toString()).isZero();

        Run rollback = momentum("rollback", "production", "--wait", "--timeout", "90s");
        try {
            assertThat(rollback.exit()).as(rollback.toString()).isZero();
            assertThat(rollback.out()).contains("OK: 2 of 2 deploys succeeded");
            Run status = momentum("status", "production");
            assertThat(status.out()).contains("production: pinned to plan").doesNotContain(pushed.substring(0, 8));
        } finally {
            // Unpinned even when the rollback disappoints: the other classes on this fleet push to production.
            Run unpin = momentum("unpin", "production", "--wait", "--timeout", "90s");
            assertThat(unpin.exit()).as(unpin.toString()).isZero();
        }
        assertThat(momentum("status", "production").out()).contains(pushed.substring(0, 8))
                .doesNotContain("pinned to plan");
    }

    @Test
    @Order(5)
    void aBrokenPuppetfileFailsTheDeployWithItsErrorAndANonZeroExit() {
        Path clone = fleet.cloneControl(work, "development");
        fleet.pushAppended(clone, "Puppetfile", "mod 'broken', :git =>\n", "cli e2e broken Puppetfile");
        try {
            Run deploy = momentum("deploy", "development", "--wait", "--timeout", "90s");

            assertThat(deploy.exit()).as(deploy.toString()).isEqualTo(1);
            assertThat(deploy.out()).contains("development    -          planning failed, every master keeps what"
                    + " it serves: ").contains("FAILED development");
            Run json = momentum("deploy", "development", "--wait", "--timeout", "90s", "-o", "json");
            assertThat(json.exit()).as(json.toString()).isEqualTo(1);
            assertThat(json.out()).startsWith("{").contains("\"succeeded\" : false").contains("Puppetfile line");
        } finally {
            // The fleet is shared: development deploys again before the next class looks at it.
            fleet.git(clone, "revert", "--no-edit", "HEAD");
            fleet.push(clone);
            Run fixed = momentum("deploy", "development", "--wait", "--timeout", "90s");
            assertThat(fixed.exit()).as(fixed.toString()).isZero();
        }
    }

    // ---- helpers

    record Run(int exit, String out, String err) {
    }

    /** Runs deploy/bin/momentum with the fleet's server and token file, as the quickstart's line says. */
    static Run momentum(String... args) {
        return momentum(Map.of(), args);
    }

    static Run momentum(Map<String, String> settings, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", fleet.root.resolve("deploy/bin/momentum").toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(work, "out-", ".txt");
            Path err = Files.createTempFile(work, "err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(fleet.root.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // Nothing from the developer's own ~/.config/momentum.
            builder.environment().put("HOME", work.toString());
            builder.environment().put("MOMENTUM_SERVER", SERVER);
            builder.environment().put("MOMENTUM_TOKEN_FILE", fleet.state.resolve("api-token").toString());
            builder.environment().putAll(settings);
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void assertJson(Run run, String expected) {
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("{").contains(expected);
    }
}
