import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's catch-up, against a running quickstart fleet, in two steps:
 *
 * <ul>
 *   <li>{@code prepare <stateDir> <environments> <webhookBaseUrl>}: gives the control repository that many branches
 *       (bench-NN beside production and development; pushed with the webhook hook switched off), then deploys all of
 *       them ({@code POST /api/v1/deploys {"all": true}}, one full sync) and waits until every READY master reported.
 *       Prints {@code full-sync environments=N ms=T}.
 *   <li>{@code join <stateDir> <masterId> <agentPort> <environments>}: run just before {@code quickstart.sh
 *       add-master <masterId>} (a master with an empty disk). Waits for its agent's process, then polls its
 *       {@code /q/health/ready} and {@code /api/v1/agent} until the agent is READY with every environment deployed.
 *       Prints {@code catch-up master=ID environments=N ready=T ms joined=T ms} (from the process start).
 * </ul>
 */
public final class CatchUp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern ENVIRONMENTS = Pattern.compile("\"environments\"\\s*:\\s*\\{([^}]*)\\}");

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[1]).toAbsolutePath();
        switch (args[0]) {
            case "prepare" -> prepare(state, Integer.parseInt(args[2]), args[3].replaceAll("/+$", ""));
            case "join" -> join(state, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("prepare or join, not " + args[0]);
        }
    }

    private static void prepare(Path state, int environments, String webhook) throws Exception {
        String token = Files.readString(state.resolve("api-token")).trim();
        Path clone = Files.createTempDirectory("momentum-bench-catch-up");
        try {
            git(clone.getParent(), "clone", "-q", "-b", "production", state.resolve("git/control.git").toString(),
                    clone.toString());
            List<String> push = new ArrayList<>(List.of("push", "-q", "origin"));
            for (int i = 1; i <= environments - 2; i++) { // production and development are there already
                String branch = String.format("bench_%02d", i);
                git(clone, "branch", branch);
                push.add(branch);
            }
            git(clone, push.toArray(String[]::new));
        } finally {
            new ProcessBuilder("rm", "-rf", "--", clone.toString()).inheritIO().start().waitFor();
        }
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(webhook + "/api/v1/deploys"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"all\": true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = REQUEST_ID.matcher(response.body());
        if (response.statusCode() != 202 || !id.find()) {
            throw new IllegalStateException("POST /api/v1/deploys answered " + response.statusCode() + ": "
                    + response.body());
        }
        HttpRequest status = HttpRequest.newBuilder(URI.create(webhook + "/api/v1/deploys/" + id.group(1)))
                .header("Authorization", "Bearer " + token).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            HttpResponse<String> answer = HTTP.send(status, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200 && answer.body().contains("\"complete\":true")) {
                if (answer.body().contains("\"FAILED\"")) {
                    throw new IllegalStateException("the full sync failed: " + answer.body());
                }
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the full sync was not complete within 180 s: " + answer.body());
            }
            Thread.sleep(50);
        }
        System.out.printf("full-sync environments=%d ms=%d%n", environments,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void join(Path state, String masterId, int agentPort, int environments) throws Exception {
        Path pidFile = state.resolve("pids/agent-" + masterId + ".pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(pidFile) || Files.readString(pidFile).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no agent process for " + masterId + " within 60 s");
            }
            Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Instant started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .orElseThrow(() -> new IllegalStateException("agent process " + pid + " is gone"));
        String base = "http://127.0.0.1:" + agentPort;
        Long ready = null;
        String agent = "";
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (ready == null && status(base + "/q/health/ready") == 200) {
                ready = sinceStart(started);
            }
            if (ready != null) {
                agent = get(base + "/api/v1/agent");
                if (agent.contains("\"state\":\"READY\"") && deployed(agent) >= environments) {
                    System.out.printf("catch-up master=%s environments=%d ready=%d ms joined=%d ms%n", masterId,
                            deployed(agent), ready, sinceStart(started));
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(masterId + " did not become READY with " + environments
                + " environments within 180 s: " + agent);
    }

    private static long sinceStart(Instant started) {
        return Duration.between(started, Instant.now()).toMillis();
    }

    private static int deployed(String agent) {
        Matcher m = ENVIRONMENTS.matcher(agent);
        return m.find() && !m.group(1).isBlank() ? m.group(1).split(",").length : 0;
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("MOMENTUM_HOOK_DISABLED", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + output);
        }
        return output;
    }
}
