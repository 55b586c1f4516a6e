package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser (headless Chromium over the DevTools Protocol) against the local fleet of two
 * masters (the MoM and cm1) it shares with CliIT ({@link OperatorFleet}): log in, see a push arrive without a reload,
 * see a failing master turn red, deploy from the page. Screenshots go to {@code e2e/target/screenshots/}.
 */
@ExtendWith(OperatorFleet.class)
@EnabledIf(value = "chromiumInstalled", disabledReason = "chromium is not installed (.ci/run installs it)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final List<String> MASTERS = List.of("mom", "cm1");
    private static final Duration UPDATED = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    static LocalFleet fleet;
    static Chromium browser;
    static Path screenshots;

    @TempDir
    static Path work;

    static boolean chromiumInstalled() {
        return Files.isExecutable(Chromium.BINARY);
    }

    @BeforeAll
    static void startBrowser(OperatorFleet.Started started) throws Exception {
        fleet = started.fleet();
        screenshots = fleet.root.resolve("e2e/target/screenshots");
        Path profile = fleet.state.resolve("chromium-profile");
        LocalFleet.deleteRecursively(profile);
        browser = Chromium.start(profile, 1600, 1150);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void logsInWithTheTokenAndShowsEveryMasterServingTheFirstDeploy() throws Exception {
        browser.navigate(fleet.webhookApi() + "/console/");
        await().atMost(UPDATED).until(() -> browser.evaluate("!!document.getElementById('token')"
                + " && !document.getElementById('login').hidden").asBoolean());
        browser.evaluate("document.getElementById('token').value = " + JSON.writeValueAsString(
                fleet.readState("api-token").trim()) + "; document.getElementById('login-form').requestSubmit();"
                + " true");

        String production = head("production");
        await().atMost(UPDATED).untilAsserted(() -> {
            for (String master : MASTERS) {
                assertThat(cell("production", master)).as(master).isEqualTo("LIVE " + production);
            }
        });
        await().atMost(UPDATED).untilAsserted(() -> assertThat(text("link")).isEqualTo("live"));
        // The token is kept in the tab and sent as a header, never put in the address.
        assertThat(browser.evaluate("location.href").asText()).doesNotContain(fleet.readState("api-token").trim());
        assertThat(browser.evaluate("document.querySelectorAll('#masters tr[data-master]').length").asInt())
                .isEqualTo(MASTERS.size());
        browser.screenshot(screenshots.resolve("console-logged-in.png"));
    }

    @Test
    @Order(2)
    void aPushShowsUpLiveWithoutAReload() throws Exception {
        // Records when each master's production cell first shows a commit as LIVE, and a marker a reload would lose.
        browser.evaluate("""
                window.stayedOnPage = true;
                window.seenLive = {};
                const record = () => document.querySelectorAll('#matrix td[data-env="production"]').forEach(td => {
                  const key = td.dataset.master + '@' + td.dataset.commit;
                  if (td.dataset.state === 'LIVE' && !(key in window.seenLive)) window.seenLive[key] = Date.now();
                });
                new MutationObserver(record).observe(document.getElementById('matrix'),
                    {childList: true, subtree: true, attributes: true});
                record();
                true""");

        Path clone = fleet.cloneControl(work, "production");
        long pushedAt = System.currentTimeMillis();
        String commit = fleet.pushAppended(clone, "manifests/site.pp", "# console e2e " + System.nanoTime() + "\n",
                "console e2e push");

        JsonNode seen = await().atMost(UPDATED).until(() -> browser.evaluate("window.seenLive"),
                s -> MASTERS.stream().allMatch(m -> s.has(m + "@" + commit)));
        assertThat(browser.evaluate("window.stayedOnPage === true").asBoolean()).as("no reload").isTrue();

        JsonNode deploys = JSON.readTree(fleet.api("GET", "/api/v1/deploys?environment=production&limit=5", null)
                .body());
        long slowest = 0;
        for (String master : MASTERS) {
            Instant finished = finishedAt(deploys, master, commit);
            long onScreen = seen.get(master + "@" + commit).asLong();
            long latency = onScreen - finished.toEpochMilli();
            slowest = Math.max(slowest, latency);
            System.out.printf("console: %s deploy result finishedAt -> on screen: %d ms; push -> on screen: %d ms%n",
                    master, latency, onScreen - pushedAt);
        }
        System.out.printf("console: event-to-screen latency (slowest master): %d ms%n", slowest);
        browser.screenshot(screenshots.resolve("console-after-push.png"));
    }

    @Test
    @Order(3)
    void aFailingMasterTurnsRedAndSaysSo() throws Exception {
        fleet.quickstart("fault", "master", "cm1", "down");
        try {
            await().atMost(UPDATED).untilAsserted(() -> {
                assertThat(browser.evaluate("document.querySelector('#masters tr[data-master=\"cm1\"]')"
                        + ".dataset.health").asText()).isEqualTo("DOWN");
                JsonNode badge = browser.evaluate("(() => { const b = document.querySelector("
                        + "'#masters tr[data-master=\"cm1\"] td .badge'); return {text: b.textContent,"
                        + " tone: b.className, colour: getComputedStyle(b).borderTopColor}; })()");
                assertThat(badge.get("text").asText()).isEqualTo("DOWN");
                assertThat(badge.get("tone").asText()).contains("state-bad");
                assertThat(badge.get("colour").asText()).isEqualTo("rgb(248, 81, 73)");
            });
            assertThat(browser.evaluate("document.querySelector('#masters tr[data-master=\"mom\"]').dataset.health")
                    .asText()).isEqualTo("UP");
            browser.screenshot(screenshots.resolve("console-master-down.png"));
        } finally {
            fleet.quickstart("fault", "master", "cm1", "ok");
        }
        await().atMost(UPDATED).untilAsserted(() -> assertThat(browser.evaluate(
                "document.querySelector('#masters tr[data-master=\"cm1\"]').dataset.health").asText())
                .isEqualTo("UP"));
    }

    @Test
    @Order(4)
    void deployNowDeploysTheEnvironmentAndTheDeployShowsItsMasters() {
        JsonNode before = browser.evaluate("[...document.querySelectorAll('#deploys .deploy')]"
                + ".map(d => d.dataset.request)");
        // The first click asks for confirmation, the second deploys.
        String click = "document.querySelector('button.deploy-now[data-env=\"production\"]').click(); true";
        browser.evaluate(click);
        browser.evaluate(click);

        await().atMost(UPDATED).untilAsserted(() -> {
            JsonNode newest = browser.evaluate("(() => { const d = document.querySelector('#deploys .deploy');"
                    + " return {id: d.dataset.request, text: d.textContent}; })()");
            assertThat(before.toString()).doesNotContain(newest.get("id").asText());
            assertThat(newest.get("text").asText()).startsWith("DONE").contains("production")
                    .contains("mom").contains("cm1").contains("SUCCEEDED");
        });
        assertThat(text("toast")).startsWith("Deploy of production requested");
        browser.evaluate("window.scrollTo(0, 0); true");
    }

    /** The state and commit a matrix cell shows, e.g. {@code LIVE <sha>}. */
    private static String cell(String environment, String master) {
        return browser.evaluate("(() => { const td = document.querySelector('#matrix td[data-env=\"" + environment
                + "\"][data-master=\"" + master + "\"]'); return td ? td.dataset.state + ' ' + td.dataset.commit"
                + " : 'absent'; })()").asText();
    }

    private static String text(String id) {
        return browser.evaluate("document.getElementById('" + id + "').textContent").asText();
    }

    private static Instant finishedAt(JsonNode deploys, String master, String commit) {
        for (JsonNode deploy : deploys.get("deploys")) {
            for (JsonNode result : deploy.get("results")) {
                if (master.equals(result.get("masterId").asText()) && commit.equals(result.path("commit").asText())) {
                    return Instant.parse(result.get("finishedAt").asText());
                }
            }
        }
        throw new AssertionError("no result of " + master + " for " + commit + " in " + deploys);
    }

    private static String head(String branch) {
        return fleet.git(fleet.state, "--git-dir", "git/control.git", "rev-parse", branch).trim();
    }
}
