package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user stories on the real local fleet: Kafka, webhook-service, health-monitor, lb-config-service,
 * three deploy agents with demo compile masters, and nginx, all started by {@code deploy/quickstart.sh up}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {

    static final Duration DEPLOYED = Duration.ofSeconds(90);
    static LocalFleet fleet;

    @TempDir
    static Path work;

    @BeforeAll
    static void startFleet() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")) || onPath("nginx"),
                "nginx is not installed (.ci/run installs it)");
        fleet = LocalFleet.fromSystemProperties();
        fleet.quickstart("down");
        deleteRecursively(fleet.state);
        System.out.println(fleet.quickstart("up"));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            System.out.println(fleet.quickstart("status"));
            fleet.quickstart("down");
        }
    }

    @Test
    @Order(1)
    void aPushIsLiveOnEveryMasterAndNginxServesOnlyTheNewCommit() throws Exception {
        String initial = fleet.git(fleet.state, "--git-dir", "git/control.git", "rev-parse", "production").trim();
        awaitEveryMasterAt(List.of("mom", "cm1", "cm2"), "production", initial);

        long pushed = System.nanoTime();
        String commit = pushChange("production", "e2e push");
        awaitEveryMasterAt(List.of("mom", "cm1", "cm2"), "production", commit);
        await().atMost(DEPLOYED).untilAsserted(() -> assertThat(servedCommits("production", 12)).containsOnly(commit));
        System.out.printf("push-to-served through nginx: %d ms%n", (System.nanoTime() - pushed) / 1_000_000);
    }

    @Test
    @Order(2)
    void aNewMasterCatchesUpOnEveryEnvironmentBeforeItJoinsTheUpstream() {
        String production = head("production");
        String development = head("development");
        String plannedMotd = fleet.deployedModuleSha("mom", "production", "motd");
        assertThat(plannedMotd).isNotNull();
        // motd's branch moves on without a deploy: the new master must still deploy the planned commit.
        String movedMotd = pushModuleChange("motd");
        assertThat(movedMotd).isNotEqualTo(plannedMotd);
        fleet.quickstart("add-master", "cm3");

        // Until cm3 serves, it must never be in the upstream with old or missing code.
        await().atMost(DEPLOYED).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            boolean routed = routed(3);
            if (routed) {
                assertThat(fleet.deployedCommit("cm3", "production")).isEqualTo(production);
                assertThat(fleet.deployedCommit("cm3", "development")).isEqualTo(development);
            }
            assertThat(routed).isTrue();
        });
        await().atMost(DEPLOYED).untilAsserted(() ->
                assertThat(servedBy("production", 30)).contains("cm3"));
        for (String master : List.of("mom", "cm1", "cm2", "cm3")) {
            assertThat(fleet.deployedModuleSha(master, "production", "motd")).as(master).isEqualTo(plannedMotd);
        }

        // The next push plans the moved branch once, and every master gets that one commit.
        String commit = pushChange("production", "e2e push after motd moved");
        awaitEveryMasterAt(List.of("mom", "cm1", "cm2", "cm3"), "production", commit);
        for (String master : List.of("mom", "cm1", "cm2", "cm3")) {
            assertThat(fleet.deployedModuleSha(master, "production", "motd")).as(master).isEqualTo(movedMotd);
        }
    }

    @Test
    @Order(3)
    void aMasterWhoseStatusFailsLeavesTheUpstreamAndComesBack() throws Exception {
        Path downFlag = fleet.state.resolve("masters/cm1/demo-down");
        Files.writeString(downFlag, "e2e");
        try {
            await().atMost(DEPLOYED).untilAsserted(() -> assertThat(routed(1)).isFalse());
            // nginx -s reload only signals: the new workers take over a moment after the file changed.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(servedBy("production", 20)).doesNotContain("cm1"));
        } finally {
            Files.delete(downFlag);
        }
        await().atMost(DEPLOYED).untilAsserted(() -> assertThat(routed(1)).isTrue());
    }

    @Test
    @Order(4)
    void wipedMonitorAndLoadBalancerStateIsRebuiltIdenticallyFromKafka() {
        String before = upstream();
        fleet.quickstart("restart", "health-monitor", "--wipe-state");
        fleet.quickstart("restart", "lb-config-service", "--wipe-state");
        await().atMost(DEPLOYED).untilAsserted(() -> {
            assertThat(fleet.api("GET", LocalFleet.LB_API + "/api/v1/backends", null).status()).isEqualTo(200);
            assertThat(upstream()).isEqualTo(before);
        });
        assertThat(servedBy("production", 20)).isNotEmpty();
    }

    @Test
    @Order(5)
    void aBrokerRestartMidFlowLosesNoDeploy() {
        String commit = pushChange("development", "e2e push before a broker restart");
        fleet.quickstart("restart", "kafka");
        awaitEveryMasterAt(List.of("mom", "cm1", "cm2", "cm3"), "development", commit);
    }

    @Test
    @Order(6)
    void aRollbackReactivatesThePreviousPlanEverywhereWithoutDownloadingAndStaysPinned() throws Exception {
        List<String> masters = List.of("mom", "cm1", "cm2", "cm3");
        String before = head("production");
        String pushed = pushChange("production", "e2e push to roll back");
        awaitEveryMasterAt(masters, "production", pushed);
        // Right after the broker restart of the test before: the webhook's view of the plans may still lag the
        // masters, and the rollback must wait for it rather than judge "the previous plan" on it.

        // With every git remote gone, only versions kept on the masters' disks can serve a rollback.
        Path git = fleet.state.resolve("git");
        Path hidden = fleet.state.resolve("git-unreachable");
        Files.move(git, hidden);
        try {
            LocalFleet.Response answer = fleet.api("POST", "/api/v1/environments/production/rollback", null);
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            awaitEveryMasterAt(masters, "production", before);
        } finally {
            Files.move(hidden, git);
        }
        await().atMost(DEPLOYED).untilAsserted(() -> assertThat(servedCommits("production", 12)).containsOnly(before));
        assertThat(fleet.api("GET", "/api/v1/environments", null).body()).contains("\"pinned\":true");

        // Unpinning deploys the branch head again.
        LocalFleet.Response unpin = fleet.api("DELETE", "/api/v1/environments/production/pin", null);
        assertThat(unpin.status()).as(unpin.body()).isEqualTo(202);
        awaitEveryMasterAt(masters, "production", pushed);
    }

    @Test
    @Order(7)
    void aPuppetfileThatDoesNotParseFailsOnceCentrallyAndEveryMasterKeepsServing() {
        String before = head("development");
        String broken = pushCommit("development", "Puppetfile", "mod 'motd', :git => \n", "e2e broken Puppetfile");
        await().atMost(DEPLOYED).untilAsserted(() -> assertThat(fleet.api("GET", "/api/v1/environments", null).body())
                .contains("FAILED").contains("Puppetfile"));
        for (String master : List.of("mom", "cm1", "cm2", "cm3")) {
            assertThat(fleet.deployedCommit(master, "development")).as(master).isEqualTo(before);
        }
        assertThat(broken).isNotEqualTo(before);
    }

    @Test
    @Order(8)
    void aFleetRolloutStagesOnEveryMasterAndSwitchesThemTogether() {
        List<String> masters = List.of("mom", "cm1", "cm2", "cm3");
        fleet.quickstart(Map.of("MOMENTUM_ROLLOUT", "fleet"), "restart", "master", "mom");
        String before = head("production");
        String commit = pushChange("production", "e2e fleet rollout");
        awaitEveryMasterAt(masters, "production", commit);
        await().atMost(DEPLOYED).untilAsserted(() -> assertThat(servedCommits("production", 12)).containsOnly(commit));
        String environments = fleet.api("GET", "/api/v1/environments", null).body();
        assertThat(environments).contains("\"rollout\":\"FLEET\"");
        List<Instant> switched = finishedAt(environments, "production", masters);
        System.out.printf("fleet rollout switch spread (first to last master live, results' finishedAt): %d ms%n",
                Duration.between(Collections.min(switched), Collections.max(switched)).toMillis());
        assertThat(before).isNotEqualTo(commit);
    }

    @Test
    @Order(9)
    void aCanaryWhosePuppetServerFailsDuringItsSoakStopsTheRolloutWithTheOthersOnThePreviousPlan() throws Exception {
        fleet.quickstart(Map.of("MOMENTUM_ROLLOUT", "canary"), "restart", "master", "mom");
        fleet.quickstart(Map.of("MOMENTUM_CANARY_MASTERS", "cm2", "MOMENTUM_CANARY_SOAK", "30s"), "restart",
                "health-monitor");
        String before = head("production");
        String commit = pushChange("production", "e2e canary that fails");
        // The canary switches first; its Puppet Server then fails during the soak.
        await().atMost(DEPLOYED).untilAsserted(() ->
                assertThat(fleet.deployedCommit("cm2", "production")).isEqualTo(commit));
        Path downFlag = fleet.state.resolve("masters/cm2/demo-down");
        Files.writeString(downFlag, "e2e");
        try {
            await().atMost(DEPLOYED).untilAsserted(() -> assertThat(fleet.api("GET", "/api/v1/environments", null)
                    .body()).contains("HALTED"));
            for (String master : List.of("mom", "cm1", "cm3")) {
                assertThat(fleet.deployedCommit(master, "production")).as(master).isEqualTo(before);
            }
        } finally {
            Files.delete(downFlag);
            fleet.quickstart("restart", "master", "mom");
            fleet.quickstart("restart", "health-monitor");
        }
    }

    /** When each master's last result for {@code environment} finished, from GET /api/v1/environments. */
    private static List<Instant> finishedAt(String environments, String environment, List<String> masters) {
        int row = environments.indexOf("\"environment\":\"" + environment + "\"");
        assertThat(row).isNotNegative();
        List<Instant> times = new java.util.ArrayList<>();
        for (String master : masters) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"masterId\":\"" + master
                    + "\"[^}]*?\"finishedAt\":\"([^\"]+)\"").matcher(environments);
            assertThat(m.find(row)).as(master).isTrue();
            times.add(Instant.parse(m.group(1)));
        }
        return times;
    }

    private static String pushModuleChange(String module) {
        Path clone = work.resolve(module + "-" + System.nanoTime());
        fleet.git(work, "clone", "-q", "-b", "main", fleet.state.resolve("git/modules/" + module + ".git").toString(),
                clone.toString());
        try {
            Files.writeString(clone.resolve("manifests/init.pp"), "# moved " + System.nanoTime() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fleet.git(clone, "commit", "-q", "-am", "e2e moves " + module);
        fleet.git(clone, "push", "-q", "origin", "main");
        return fleet.git(clone, "rev-parse", "HEAD").trim();
    }

    /** Commits {@code content} appended to {@code file} on {@code branch} and pushes it (the hook's webhook). */
    private static String pushCommit(String branch, String file, String content, String message) {
        Path clone = work.resolve("clone-" + System.nanoTime());
        fleet.git(work, "clone", "-q", "-b", branch, fleet.state.resolve("git/control.git").toString(), clone.toString());
        try {
            Files.writeString(clone.resolve(file), content, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fleet.git(clone, "commit", "-q", "-am", message);
        assertThat(fleet.git(clone, "push", "-q", "origin", branch)).contains("answered 202");
        return fleet.git(clone, "rev-parse", "HEAD").trim();
    }

    private static String pushChange(String branch, String message) {
        return pushCommit(branch, "manifests/site.pp", "# " + message + " " + System.nanoTime() + "\n", message);
    }

    private static String head(String branch) {
        return fleet.git(fleet.state, "--git-dir", "git/control.git", "rev-parse", branch).trim();
    }

    private static void awaitEveryMasterAt(List<String> masters, String environment, String commit) {
        await().atMost(DEPLOYED).untilAsserted(() -> {
            for (String master : masters) {
                assertThat(fleet.deployedCommit(master, environment)).as(master).isEqualTo(commit);
            }
        });
    }

    /** The commits that {@code requests} requests through nginx saw. */
    private static Set<String> servedCommits(String environment, int requests) {
        Set<String> commits = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            LocalFleet.Response response = fleet.get(LocalFleet.NGINX + "/code/" + environment);
            commits.add(response.status() == 200 ? response.body().split(" ")[0] : "HTTP " + response.status());
        }
        return commits;
    }

    /** The masters that answered {@code requests} requests through nginx. */
    private static Set<String> servedBy(String environment, int requests) {
        Set<String> masters = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            LocalFleet.Response response = fleet.get(LocalFleet.NGINX + "/code/" + environment);
            if (response.status() == 200) {
                masters.add(response.body().trim().split(" ")[1]);
            }
        }
        return masters;
    }

    private static String upstream() {
        return fleet.readState("nginx/momentum-upstream.conf");
    }

    /** Whether demo compile master {@code index} is a server of the upstream (not just named in a comment). */
    private static boolean routed(int index) {
        return upstream().contains("server 127.0.0.1:" + (18150 + LocalFleet.PORT_OFFSET + index) + ";");
    }

    private static boolean onPath(String binary) {
        return System.getenv("PATH") != null
                && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
