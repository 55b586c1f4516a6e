package io.momentum.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.PostDeployOutcome;
import io.momentum.testing.GitRepo;
import io.momentum.testing.KafkaBroker;
import io.momentum.testing.PuppetServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Puppet Servers behind the load balancers: the Debian puppetserver 7 (a JVM with its own CA) as compile
 * master with its deploy agent, health-monitor, lb-config-service driving a real nginx (stream passthrough) and a
 * real HAProxy (TCP passthrough), and webhook-service, every service started as its packaged jar against one
 * Kafka broker. After a signed GitHub push, a real {@code puppet agent -t} through each load balancer gets the
 * catalog of the pushed code; the agent's environment-cache flush reached the real admin API with the server's own
 * certificate. Stopping the Puppet Server takes it out of both upstreams while a second one keeps serving.
 *
 * <p>Each {@link PuppetServer} has a CA of its own (a real fleet shares the MoM's), so a Puppet agent can only talk
 * to the server whose CA it trusts: agents run while exactly one of them is routed (the second server starts with
 * the first, its deploy agent only once the first server's checks are done). The first deploy agent starts before
 * its Puppet Server answers, as after a reboot: its first flush waits for it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPuppetServerIT {

    static final Duration SERVER_START = Duration.ofSeconds(300);
    static final Duration DEPLOYED = Duration.ofSeconds(300);
    static final Duration ROUTED = Duration.ofSeconds(90);
    static final Duration AGENT_RUN = Duration.ofSeconds(180);
    static final String SECRET = "real-puppet-it-" + UUID.randomUUID();
    static final String REPOSITORY = "local/control";
    static final String FLUSH = "flush-environment-cache";
    /** What the Puppetfile's module serves, as a file (Puppet's file server) and in a notify (the file function). */
    static final String GREETING = "served from a shared module tree";

    @TempDir
    static Path work;

    static Path root;
    static final Deque<AutoCloseable> running = new ArrayDeque<>();
    static KafkaBroker kafka;
    static DeployResults results;
    static GitRepo control;
    static GitRepo motd;
    static PassthroughBalancers balancers;
    static ServiceProcess webhook;
    static ServiceProcess monitor;
    static ServiceProcess agentA;
    static PuppetServer first;
    static CompletableFuture<PuppetServer> secondStarting;
    static int pushes;
    static String marker;

    @BeforeAll
    static void startFleet() throws Exception {
        assumeTrue(PuppetServer.installed() && PuppetServer.agentInstalled(),
                "puppetserver or puppet-agent is not installed (.ci/run installs them)");
        assumeTrue(PassthroughBalancers.installed(), "nginx with its stream module or haproxy is not installed");
        root = Path.of(System.getProperty("momentum.root", "..")).toAbsolutePath().normalize();
        for (String module : List.of("webhook-service", "deploy-agent", "health-monitor", "lb-config-service")) {
            assertThat(ServiceProcess.jar(root, module)).as("build the services first (./mvnw verify does)")
                    .isRegularFile();
        }
        kafka = closing(KafkaBroker.startFresh());
        results = closing(new DeployResults(kafka.bootstrapServers()));
        control = closing(GitRepo.createBare(work.resolve("control.git")));
        motd = closing(GitRepo.createBare(work.resolve("motd.git")));
        motd.commit("main", Map.of("manifests/init.pp", """
                class motd (String $target) {
                  notify { "motd module: ${file('motd/greeting.txt')}": }
                  file { $target: ensure => file, source => 'puppet:///modules/motd/greeting.txt' }
                }
                """, "files/greeting.txt", GREETING), "motd module");
        marker = "initial";
        control.commit("production", site(marker), "initial");

        CompletableFuture<PuppetServer> firstStarting = starting(work.resolve("server-a"));
        // Started now to save time; no deploy agent announces it before the second test.
        secondStarting = starting(work.resolve("server-b"));
        balancers = closing(new PassthroughBalancers(work.resolve("lb")));
        balancers.start();
        webhook = service("webhook-service", "webhook-service", Map.of(
                "momentum.sources.control.repository", REPOSITORY,
                "momentum.sources.control.remote", control.url()),
                Map.of("MOMENTUM_WEBHOOK_GITHUB_SECRET", SECRET));
        Map<String, String> lbConfig = new LinkedHashMap<>(balancers.lbConfig());
        lbConfig.put("momentum.lb.lb-id", "real-puppet-it");
        lbConfig.put("momentum.lb.state-dir", work.resolve("lb-state").toString());
        lbConfig.put("momentum.lb.debounce", "200ms");
        ServiceProcess lb = service("lb-config-service", "lb-config-service", lbConfig, Map.of());

        Path serverA = work.resolve("server-a");
        awaitCa(serverA, firstStarting);
        // The monitor trusts every Puppet CA of the fleet; the bundle grows when the second server comes.
        Files.copy(serverA.resolve("ssl/certs/ca.pem"), caBundle());
        monitor = service("health-monitor", "health-monitor", Map.of(
                "momentum.health.interval", "2s",
                "momentum.health.timeout", "1500ms",
                "quarkus.tls.puppet.trust-store.pem.certs", caBundle().toString(),
                "quarkus.tls.puppet.reload-period", "1s"), Map.of());
        agentA = deployAgent("cm-a", serverA);

        awaitCa(work.resolve("server-b"), secondStarting);
        Files.write(caBundle(), Files.readAllBytes(work.resolve("server-b/ssl/certs/ca.pem")),
                StandardOpenOption.APPEND);
        for (ServiceProcess service : List.of(webhook, lb, monitor, agentA)) {
            service.awaitLive(Duration.ofSeconds(120));
        }
        first = firstStarting.join();
    }

    @AfterAll
    static void stopFleet() {
        if (balancers != null) {
            System.out.println(balancers.describe());
        }
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }

    @Test
    @Order(1)
    void aPushIsInTheCatalogOfARealAgentThroughNginxAndHaproxyAfterARealCacheFlush() throws Exception {
        // Started before its Puppet Server answered, the agent's first flush waited for it.
        DeployResult caughtUp = results.await(r -> r.masterId().equals("cm-a") && r.commit() != null,
                DEPLOYED, "of cm-a's catch-up");
        assertFlushed(caughtUp, first);
        System.out.println("cm-a catch-up flush: " + flush(caughtUp).detail());
        String addressA = "127.0.0.1:" + first.port();
        awaitRouted(addressA, true);
        // A node that already has its certificate, as in a running fleet; its first run is through nginx.
        assertCatalogHasMarker(agentRun(first, "nodes-a", balancers.nginxPort));

        long pushed = System.nanoTime();
        String commit = push("first push");
        DeployResult deployed = results.await(r -> r.masterId().equals("cm-a") && commit.equals(r.commit()),
                DEPLOYED, "of cm-a at " + commit);
        long resultAt = System.nanoTime();
        assertThat(deployed.status()).isEqualTo(DeployStatus.SUCCEEDED);
        assertThat(deployed.error()).isNull();
        assertFlushed(deployed, first);
        assertThat(first.environmentsDir().resolve("production/modules/motd")).isSymbolicLink();
        assertCatalogHasMarker(agentRun(first, "nodes-a", balancers.haproxyPort));
        printPushToCatalog("HAProxy", pushed, resultAt);
        assertCatalogHasMarker(agentRun(first, "nodes-a", balancers.nginxPort));

        assertThat(agentA.log()).contains("post-deploy " + FLUSH + " for production: HTTP 204 from " + first.url());
        String metrics = agentA.get("/q/metrics").body();
        assertThat(metrics).containsPattern("momentum_agent_post_deploy_total\\{[^}]*outcome=\"ok\"[^}]*step=\""
                + FLUSH + "\"[^}]*} [2-9]");
        assertThat(metrics).contains("momentum_agent_post_deploy_duration_seconds_count");
    }

    @Test
    @Order(2)
    void aStoppedPuppetServerLeavesBothUpstreamsAndASecondMasterKeepsServing() throws Exception {
        ServiceProcess agentB = deployAgent("cm-b", work.resolve("server-b")).awaitLive(Duration.ofSeconds(120));
        PuppetServer second = secondStarting.join();
        String current = control.head("production");
        assertFlushed(results.await(r -> r.masterId().equals("cm-b") && current.equals(r.commit()), DEPLOYED,
                "of cm-b's catch-up at " + current), second);
        String addressA = "127.0.0.1:" + first.port();
        String addressB = "127.0.0.1:" + second.port();
        awaitRouted(addressB, true);

        long stopped = System.nanoTime();
        first.close();
        awaitRouted(addressA, false);
        System.out.printf("stopped Puppet Server out of both upstreams after %d ms%n", millis(System.nanoTime()
                - stopped));
        assertThat(balancers.nginxRoutes(addressB) && balancers.haproxyRoutes(addressB)).as(balancers.describe())
                .isTrue();
        assertCatalogHasMarker(agentRun(second, "nodes-b", balancers.nginxPort));

        long pushed = System.nanoTime();
        String commit = push("second push");
        DeployResult deployed = results.await(r -> r.masterId().equals("cm-b") && commit.equals(r.commit()),
                DEPLOYED, "of cm-b at " + commit);
        long resultAt = System.nanoTime();
        assertFlushed(deployed, second);
        assertCatalogHasMarker(agentRun(second, "nodes-b", balancers.haproxyPort));
        printPushToCatalog("HAProxy, second master", pushed, resultAt);
        assertThat(agentB.log()).contains("post-deploy " + FLUSH + " for production: HTTP 204");
    }

    // --- the fleet ------------------------------------------------------------------------------------------

    private static ServiceProcess service(String module, String name, Map<String, String> properties,
            Map<String, String> environment) {
        return closing(ServiceProcess.start(root, module, name, kafka.bootstrapServers(), properties, environment,
                work.resolve("logs")));
    }

    /**
     * A deploy agent for the Puppet Server under {@code server}, started once that server has its certificates
     * but (usually) before it answers: the agent flushes through the admin API with the server's own certificate,
     * the way the operator guide configures it.
     */
    private static ServiceProcess deployAgent(String masterId, Path server) throws IOException {
        // PuppetServer.start returns once the server runs; the port is in the webserver.conf it wrote first.
        int port = sslPort(server);
        // The harness creates an empty production directory; the agent deploys only where it owns the entry.
        Files.deleteIfExists(server.resolve("code/environments/production"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("momentum.agent.master-id", masterId);
        config.put("momentum.agent.role", "COMPILE");
        config.put("momentum.agent.puppet-server-url", "https://" + PuppetServer.CERTNAME + ":" + port);
        config.put("momentum.agent.lb-address", "127.0.0.1:" + port);
        config.put("momentum.agent.heartbeat-interval", "1s");
        config.put("momentum.agent.shutdown-grace-period", "2s");
        config.put("momentum.deploy.environments-dir", server.resolve("code/environments").toString());
        config.put("momentum.deploy.cache-dir", work.resolve(masterId + "-cache").toString());
        config.put("momentum.sources.control.remote", control.url());
        // Both agents plan (this fleet has no MoM): the group momentum-planner gives each request to one of them.
        config.put("momentum.planner.enabled", "true");
        config.put("momentum.deploy.post.flush-environment-cache", "true");
        // A Puppet Server on a busy machine may take minutes to start; the first flush waits for it.
        config.put("momentum.deploy.post.retry-for", SERVER_START.toSeconds() + "s");
        config.put("quarkus.tls.puppet-admin.trust-store.pem.certs", server.resolve("ssl/certs/ca.pem").toString());
        config.put("quarkus.tls.puppet-admin.key-store.pem.0.cert",
                server.resolve("ssl/certs/" + PuppetServer.CERTNAME + ".pem").toString());
        config.put("quarkus.tls.puppet-admin.key-store.pem.0.key",
                server.resolve("ssl/private_keys/" + PuppetServer.CERTNAME + ".pem").toString());
        return service("deploy-agent", "agent-" + masterId, config, Map.of());
    }

    private static int sslPort(Path server) throws IOException {
        Matcher port = Pattern.compile("ssl-port: (\\d+)").matcher(Files.readString(server.resolve(
                "conf.d/webserver.conf")));
        assertThat(port.find()).as("ssl-port in " + server.resolve("conf.d/webserver.conf")).isTrue();
        return Integer.parseInt(port.group(1));
    }

    /** Waits until the server's CA setup wrote its certificates (before the server itself runs). */
    private static void awaitCa(Path server, CompletableFuture<PuppetServer> starting) {
        await().atMost(SERVER_START).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (starting.isCompletedExceptionally()) {
                starting.join();
            }
            return Files.isRegularFile(server.resolve("ssl/certs/" + PuppetServer.CERTNAME + ".pem"))
                    && Files.isRegularFile(server.resolve("ssl/private_keys/" + PuppetServer.CERTNAME + ".pem"));
        });
    }

    private static Path caBundle() {
        return work.resolve("puppet-cas.pem");
    }

    private static void awaitRouted(String address, boolean routed) {
        await().atMost(ROUTED).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                balancers.nginxRoutes(address) == routed && balancers.haproxyRoutes(address) == routed)
                .as((routed ? "routed: " : "not routed: ") + address + "\n" + balancers.describe()
                        + "\nmonitor:\n" + monitor.logTail(15)).isTrue());
        // nginx -s reload and the HAProxy reload only signal: new workers take over a moment later.
        ServiceProcess.sleep(1000);
    }

    // --- pushes and checks ----------------------------------------------------------------------------------

    /**
     * The control repository: a site.pp with the marker that includes the Puppetfile's git module, which the deploy
     * agent installs as a symbolic link to its shared tree.
     */
    private static Map<String, String> site(String marker) {
        return Map.of("manifests/site.pp", "notify { 'momentum " + marker + "': }\n"
                        + "class { 'motd': target => '" + motdTarget() + "' }\n",
                "Puppetfile", "mod 'motd', :git => '" + motd.url() + "', :branch => 'main'\n");
    }

    /** Where each Puppet agent run writes the module's file, fetched from the Puppet Server's file server. */
    private static Path motdTarget() {
        return work.resolve("motd.txt");
    }

    /** Commits a new site.pp with a fresh marker and sends GitHub's signed push webhook, as GitHub would. */
    private static String push(String message) throws Exception {
        String before = control.head("production");
        marker = "push-" + ++pushes + "-" + UUID.randomUUID();
        String after = control.commit("production", site(marker), message);
        String body = """
                {"ref":"refs/heads/production","before":"%s","after":"%s","created":false,"deleted":false,\
                "forced":false,"repository":{"name":"control","full_name":"%s","clone_url":"%s","html_url":"%s"},\
                "pusher":{"name":"it","email":"it@localhost"},"sender":{"login":"it"},"head_commit":{"id":"%s"},\
                "commits":[]}""".formatted(before, after, REPOSITORY, control.url(), control.url(), after);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(webhook.url("/payload")))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return after;
    }

    /** {@code puppet agent -t} as node1.example.net (the same node, certified once) through a load balancer. */
    private static PuppetServer.AgentRun agentRun(PuppetServer server, String nodes, int port) {
        try {
            Files.deleteIfExists(motdTarget());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server.runAgent(work.resolve(nodes), "node1.example.net", "production", "localhost", port, AGENT_RUN);
    }

    private static void printPushToCatalog(String through, long pushedNanos, long resultNanos) {
        long now = System.nanoTime();
        System.out.printf("push-to-catalog through %s (real Puppet Server): %d ms = push to deploy result with the "
                + "cache flushed %d ms + puppet agent -t %d ms%n", through, millis(now - pushedNanos),
                millis(resultNanos - pushedNanos), millis(now - resultNanos));
    }

    private static PostDeployOutcome flush(DeployResult result) {
        return result.postDeploy().stream().filter(outcome -> outcome.step().equals(FLUSH)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + FLUSH + " outcome in " + result));
    }

    /** The agent's flush reached this server's admin API with the server's own certificate and was accepted. */
    private static void assertFlushed(DeployResult result, PuppetServer server) {
        PostDeployOutcome flush = flush(result);
        assertThat(flush.ok()).as(flush.detail()).isTrue();
        assertThat(flush.detail()).startsWith("HTTP 204 from " + server.url()
                + "/puppet-admin-api/v1/environment-cache?environment=production");
    }

    /** The run applied the pushed code, and the module behind its symbolic link was compiled and file-served. */
    private static void assertCatalogHasMarker(PuppetServer.AgentRun run) {
        assertThat(run.appliedACatalog()).as(run.output()).isTrue();
        assertThat(run.output()).contains("momentum " + marker).contains("motd module: " + GREETING);
        assertThat(motdTarget()).hasContent(GREETING);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Starts a Puppet Server in the background; it is stopped after the tests however its start ends. */
    private static CompletableFuture<PuppetServer> starting(Path base) {
        CompletableFuture<PuppetServer> server = CompletableFuture.supplyAsync(() ->
                PuppetServer.start(base, SERVER_START));
        closing(() -> {
            PuppetServer started = server.handle((ok, failed) -> ok).join();
            if (started != null) {
                started.close();
            }
        });
        return server;
    }

    private static <T extends AutoCloseable> T closing(T resource) {
        running.push(resource);
        return resource;
    }
}
