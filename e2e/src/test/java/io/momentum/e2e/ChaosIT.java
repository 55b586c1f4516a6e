package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the real local fleet ({@code deploy/quickstart.sh up}, its own state directory and port offset), injected
 * with the quickstart's own {@code kill}, {@code restart} and {@code fault} commands. Each scenario is bounded in time
 * and checks that nothing acknowledged is lost and that no environment is ever half-written; each prints what it
 * measured as {@code chaos: <scenario>: ...} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    static final List<String> MASTERS = List.of("mom", "cm1", "cm2");
    static final Duration DEPLOYED = Duration.ofSeconds(60);
    /** Control files of the large production environment: enough that one version takes over a second to write. */
    static final int LARGE_FILES = 4000;
    static final int LARGE_FILE_BYTES = 4096;
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    static ChaosFleet fleet;

    @TempDir
    static Path work;

    @BeforeAll
    static void startFleet() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")) || onPath("nginx"),
                "nginx is not installed (.ci/run installs it)");
        fleet = ChaosFleet.fromSystemProperties();
        fleet.quickstart("down");
        deleteRecursively(fleet.state);
        long started = System.nanoTime();
        System.out.println(fleet.quickstart("up"));
        report("fleet", "up in %d ms", millisSince(started));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.quickstart("fault", "git", "ok");
            System.out.println(fleet.quickstart("status"));
            fleet.quickstart("down");
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anAgentKilledMidDeployOfALargeEnvironmentKeepsAWholeVersionAndCatchesUp() throws Exception {
        String before = head("production");
        awaitEveryMasterAt(MASTERS, "production", before);
        Path clone = clone("production");
        writeLargeTree(clone.resolve("data"));
        fleet.git(clone, "add", "-A");
        fleet.git(clone, "commit", "-q", "-m", "chaos: a large environment");
        fleet.git(clone, "push", "-q", "origin", "production");
        String large = fleet.git(clone, "rev-parse", "HEAD").trim();
        Set<String> either = Set.of(before, large);

        // Every 20 ms, the killed master and one beside it must each be one whole version, old or new.
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                for (String master : List.of("cm1", "mom")) {
                    String broken = fleet.halfWritten(master, "production", either);
                    if (broken != null) {
                        violations.add(master + ": " + broken);
                    }
                }
                sleep(20);
            }
        }, "chaos-sampler");
        sampler.start();
        try {
            long pushed = System.nanoTime();
            assertThat(fleet.push("production", before, large, UUID.randomUUID().toString()).status()).isEqualTo(202);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fleet.staging("cm1", "production").isEmpty()) {
                assertThat(System.nanoTime()).as("cm1 never started writing the new version").isLessThan(deadline);
                assertThat(fleet.deployedCommit("cm1", "production")).as("cm1 finished before it could be killed")
                        .isEqualTo(before);
                sleep(10);
            }
            long writing = System.nanoTime();
            fleet.quickstart("kill", "cm1");
            long killed = System.nanoTime();
            String afterKill = fleet.deployedCommit("cm1", "production");
            assertThat(fleet.halfWritten("cm1", "production", either)).isNull();
            int leftovers = fleet.staging("cm1", "production").size();

            fleet.quickstart("restart", "master", "cm1");
            long restarted = System.nanoTime();
            awaitEveryMasterAt(MASTERS, "production", large);
            long caughtUp = System.nanoTime();
            await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(200)).until(() -> fleet.routed(1));
            long rejoined = System.nanoTime();
            assertThat(fleet.staging("cm1", "production")).as("the killed deploy's staging directory").isEmpty();
            report("agent-kill-9", "pushed %d files (%d MiB); cm1 killed %d ms after the push, %d ms into writing "
                    + "the new version", LARGE_FILES, LARGE_FILES * LARGE_FILE_BYTES / (1 << 20),
                    (writing - pushed) / 1_000_000, (killed - writing) / 1_000_000);
            report("agent-kill-9", "after the kill cm1 served %s (%s), %d staging leftover(s), removed by the next "
                    + "deploy", afterKill.equals(before) ? "the old version" : "the new version", afterKill, leftovers);
            report("agent-kill-9", "restart master cm1 took %d ms; caught up %d ms after it was ready, back in the "
                    + "upstream %d ms later", (restarted - killed) / 1_000_000, (caughtUp - restarted) / 1_000_000,
                    (rejoined - caughtUp) / 1_000_000);
        } finally {
            sampling.set(false);
            sampler.join();
        }
        report("agent-kill-9", "half-written environments seen in %s: %d", "20 ms samples of cm1 and mom",
                violations.size());
        assertThat(violations).isEmpty();
    }

    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHungPuppetServerLeavesTheUpstreamWithinTheProbeTimeoutAndComesBack() {
        await().atMost(DEPLOYED).until(() -> fleet.routed(2));
        long hung = System.nanoTime();
        fleet.quickstart("fault", "master", "cm2", "hang");
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> !fleet.routed(2));
            long out = System.nanoTime();
            // nginx -s reload only signals: its new workers take over a moment after the file changed.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(servedBy("development", 12)).doesNotContain("cm2").isNotEmpty());
            report("hung-puppet-server", "cm2 out of the upstream %d ms after it hung (probe every 1 s, "
                    + "timeout 500 ms)", (out - hung) / 1_000_000);
        } finally {
            fleet.quickstart("fault", "master", "cm2", "ok");
        }
        long recovered = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> fleet.routed(2));
        report("hung-puppet-server", "cm2 back in the upstream %d ms after it answered again", millisSince(recovered));
    }

    @Test
    @Order(3)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void killedMonitorAndLoadBalancerWriterRebuildTheSameUpstream() {
        await().atMost(DEPLOYED).until(() -> fleet.routed(0) && fleet.routed(1) && fleet.routed(2));
        String whole = fleet.upstream();

        // Mid-change: cm1 starts failing, and both services die before or while they act on it.
        fleet.quickstart("fault", "master", "cm1", "down");
        try {
            sleep(800);
            fleet.quickstart("kill", "health-monitor");
            fleet.quickstart("kill", "lb-config-service");
            long killed = System.nanoTime();
            fleet.quickstart("restart", "health-monitor");
            fleet.quickstart("restart", "lb-config-service");
            long restarted = System.nanoTime();
            await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(200))
                    .until(() -> !fleet.routed(1) && fleet.routed(0) && fleet.routed(2));
            report("monitor-lb-kill-9", "both restarted in %d ms; upstream without the failing cm1 %d ms later",
                    (restarted - killed) / 1_000_000, millisSince(restarted));
        } finally {
            fleet.quickstart("fault", "master", "cm1", "ok");
        }
        long recovered = System.nanoTime();
        await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(200)).until(() -> fleet.upstream().equals(whole));
        report("monitor-lb-kill-9", "the same upstream as before the change rebuilt %d ms after cm1 recovered",
                millisSince(recovered));
    }

    @Test
    @Order(4)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void unreachableGitRemotesFailThePlanThePreviousVersionKeepsServingAndTheRetryDeploysIt() {
        String before = head("development");
        awaitEveryMasterAt(MASTERS, "development", before);
        Path clone = clone("development");
        String lost = commit(clone, "manifests/site.pp", "# pushed while git is unreachable\n");
        fleet.git(clone, "push", "-q", "origin", "development");

        fleet.quickstart("fault", "git", "unreachable");
        ChaosFleet.Response answer;
        String outcome;
        try {
            answer = fleet.push("development", before, lost, UUID.randomUUID().toString());
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            String requestId = ChaosFleet.requestId(answer);
            assertThat(requestId).as(answer.body()).isNotNull();
            long accepted = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    fleet.api(ChaosFleet.WEBHOOK + "/api/v1/deploys/" + requestId).body().contains("\"FAILED\""));
            outcome = fleet.api(ChaosFleet.WEBHOOK + "/api/v1/deploys/" + requestId).body();
            report("git-unreachable", "push answered %d; plan FAILED %d ms later: %s", answer.status(),
                    millisSince(accepted), errorOf(outcome));
            assertThat(errorOf(outcome)).isNotBlank().isNotEqualTo(outcome);
            for (String master : MASTERS) {
                assertThat(fleet.deployedCommit(master, "development")).as(master).isEqualTo(before);
                assertThat(fleet.halfWritten(master, "development", Set.of(before))).as(master).isNull();
            }
            assertThat(servedCommits("development", 9)).containsOnly(before);
        } finally {
            fleet.quickstart("fault", "git", "ok");
        }
        long reachable = System.nanoTime();
        // The planner retries a plan that failed because a remote could not be reached (10 s, then doubling):
        // the push is deployed without being sent again.
        awaitEveryMasterAt(MASTERS, "development", lost);
        report("git-unreachable", "the planner's retry made the failed push live on every master %d ms after git "
                + "came back, without a new push", millisSince(reachable));
    }

    @Test
    @Order(5)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aBrokerKilledWhilePushesStreamInLosesNothingItAcknowledged() throws Exception {
        Map<String, String> pids = new LinkedHashMap<>();
        for (String name : List.of("webhook-service", "health-monitor", "lb-config-service", "agent-mom", "agent-cm1",
                "agent-cm2")) {
            pids.put(name, fleet.pid(name));
        }
        Path clone = clone("development");
        String base = fleet.git(clone, "rev-parse", "HEAD").trim();
        int pushes = 8;
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        // The fewest masters the upstream routed to at any sample, and for how long it routed to fewer than all.
        AtomicInteger fewestRouted = new AtomicInteger(MASTERS.size());
        AtomicLong degradedMillis = new AtomicLong();
        Thread stream = new Thread(() -> {
            for (int i = 1; i <= pushes; i++) {
                String branch = "storm" + i;
                fleet.git(clone, "checkout", "-q", "-b", branch, base);
                String commit = commit(clone, "manifests/site.pp", "# " + branch + "\n");
                fleet.git(clone, "push", "-q", "origin", branch);
                String deliveryId = UUID.randomUUID().toString();
                long sent = System.nanoTime();
                ChaosFleet.Response answer = fleet.push(branch, ChaosFleet.ZERO, commit, deliveryId);
                deliveries.add(new Delivery(branch, commit, deliveryId, answer.status(), millisSince(sent)));
                sleep(700);
            }
        }, "chaos-pushes");
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread upstreamWatch = new Thread(() -> {
            while (watching.get()) {
                int routed = (int) IntStream.range(0, MASTERS.size()).filter(fleet::routed).count();
                fewestRouted.accumulateAndGet(routed, Math::min);
                if (routed < MASTERS.size()) {
                    degradedMillis.addAndGet(200);
                }
                sleep(200);
            }
        }, "chaos-upstream-watch");
        stream.start();
        upstreamWatch.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= 2);
        long down = System.nanoTime();
        fleet.quickstart("kill", "kafka");
        sleep(3000);
        fleet.quickstart("restart", "kafka");
        long up = System.nanoTime();
        stream.join(TimeUnit.SECONDS.toMillis(90));
        assertThat(stream.isAlive()).as("the pushes did not finish").isFalse();
        assertThat(deliveries).as("pushes sent").hasSize(pushes);

        // Every answer is 202 (stored) or 503 (not stored; the git host redelivers the same delivery).
        for (Delivery d : deliveries) {
            assertThat(d.status()).as(d.toString()).isIn(202, 503);
        }
        List<Delivery> refused = deliveries.stream().filter(d -> d.status() == 503).toList();
        int redeliveries = 0;
        for (Delivery d : refused) {
            int status;
            do {
                redeliveries++;
                status = fleet.push(d.branch(), ChaosFleet.ZERO, d.commit(), d.deliveryId()).status();
                assertThat(status).as("redelivery of " + d).isIn(202, 503);
            } while (status == 503 && sleepTrue(1000));
        }
        long accepted = deliveries.size() - refused.size();
        await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (Delivery d : deliveries) {
                for (String master : MASTERS) {
                    assertThat(fleet.deployedCommit(master, d.branch())).as(master + " " + d).isEqualTo(d.commit());
                }
            }
        });
        long deployed = System.nanoTime();
        await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(200))
                .until(() -> fleet.routed(0) && fleet.routed(1) && fleet.routed(2));
        long rejoined = System.nanoTime();
        watching.set(false);
        upstreamWatch.join();
        for (Map.Entry<String, String> process : pids.entrySet()) {
            assertThat(fleet.pid(process.getKey())).as(process.getKey() + " was restarted")
                    .isEqualTo(process.getValue());
        }
        assertThat(fleet.api(ChaosFleet.WEBHOOK + "/q/health/ready").status()).isEqualTo(200);

        for (Delivery d : deliveries) {
            report("broker-kill-9", "%s answered %d in %d ms", d.branch(), d.status(), d.millis());
        }
        report("broker-kill-9", "%d pushes: %d accepted (202), %d refused (503, all stored on %d redeliveries), "
                + "0 lost: every one live on %d masters", deliveries.size(), accepted, refused.size(), redeliveries,
                MASTERS.size());
        report("broker-kill-9", "broker down for %d ms (kill -9 to ready); every push live %d ms after it was ready",
                (up - down) / 1_000_000, (deployed - up) / 1_000_000);
        report("broker-kill-9", "upstream: at least %d of %d masters routed at every 200 ms sample, fewer than all "
                + "for about %d ms; all routed %d ms after the broker was ready", fewestRouted.get(), MASTERS.size(),
                degradedMillis.get(), (rejoined - up) / 1_000_000);
        // The health monitor counts neither the outage nor a recovery grace after it as silence: the agents'
        // producers come back seconds after the monitor's reader, and no master may leave the upstream for that.
        assertThat(fewestRouted.get()).as("masters routed at the worst 200 ms sample").isEqualTo(MASTERS.size());
    }

    record Delivery(String branch, String commit, String deliveryId, int status, long millis) {
    }

    private static void writeLargeTree(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] content = new byte[LARGE_FILE_BYTES];
        for (int i = 0; i < LARGE_FILES; i++) {
            Path file = dir.resolve("d" + i / 100).resolve("f" + i + ".txt");
            Files.createDirectories(file.getParent());
            for (int b = 0; b < content.length; b++) {
                content[b] = (byte) ('a' + random.nextInt(26));
            }
            Files.write(file, content);
        }
    }

    private static Path clone(String branch) {
        Path clone = work.resolve(branch + "-" + System.nanoTime());
        fleet.git(work, "clone", "-q", "-b", branch, fleet.state.resolve("git/control.git").toString(),
                clone.toString());
        return clone;
    }

    private static String commit(Path clone, String file, String line) {
        try {
            Files.writeString(clone.resolve(file), line + "# " + System.nanoTime() + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fleet.git(clone, "commit", "-q", "-am", "chaos: " + line.trim());
        return fleet.git(clone, "rev-parse", "HEAD").trim();
    }

    private static String head(String branch) {
        return fleet.git(fleet.state, "--git-dir", "git/control.git", "rev-parse", branch).trim();
    }

    private static String errorOf(String requestView) {
        Matcher m = ERROR.matcher(requestView);
        return m.find() ? m.group(1) : requestView;
    }

    private static void awaitEveryMasterAt(List<String> masters, String environment, String commit) {
        await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (String master : masters) {
                assertThat(fleet.deployedCommit(master, environment)).as(master).isEqualTo(commit);
            }
        });
    }

    private static Set<String> servedBy(String environment, int requests) {
        Set<String> masters = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            ChaosFleet.Response response = fleet.viaNginx("/code/" + environment);
            if (response.status() == 200) {
                masters.add(response.body().trim().split(" ")[1]);
            }
        }
        return masters;
    }

    private static Set<String> servedCommits(String environment, int requests) {
        Set<String> commits = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            ChaosFleet.Response response = fleet.viaNginx("/code/" + environment);
            commits.add(response.status() == 200 ? response.body().split(" ")[0] : "HTTP " + response.status());
        }
        return commits;
    }

    private static void report(String scenario, String format, Object... args) {
        System.out.println("chaos: " + scenario + ": " + String.format(format, args));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean sleepTrue(long millis) {
        sleep(millis);
        return true;
    }

    private static boolean onPath(String binary) {
        return System.getenv("PATH") != null
                && Arrays.stream(System.getenv("PATH").split(":"))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
