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
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Push to consistent, against a running quickstart fleet: commits a one-line change to the sample control
 * repository (its webhook hook switched off for the push), then itself POSTs the signed GitHub webhook and measures
 * until every READY master has reported SUCCEEDED for that request ({@code GET /api/v1/deploys/<id>} says
 * complete; asked again at every deploy result on its {@code /api/v1/events} stream, at the latest every 50 ms:
 * polling every few milliseconds cost the webhook-service more CPU than the push itself). One warm-up push (more until {@code masters} reported), then N measured ones; prints min, median, p99
 * and max, and where the time went (intake, planner, the slowest master's pickup and deploy, its result reaching the
 * webhook's API): the median of each hop and the hops of the slowest push.
 *
 * <p>Usage: {@code java bench/PushToConsistent.java <stateDir> <pushes> [webhookBaseUrl [masters]]}; the base URL
 * defaults to {@code http://127.0.0.1:8088} (the quickstart's webhook-service without a port offset); with
 * {@code masters}, a push whose number of reporting masters differs fails.
 */
public final class PushToConsistent {

    /** HTTP/1.1: on one upgraded HTTP/2 connection beside the event stream, a push failed with GOAWAY. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final HttpClient EVENTS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Released at every deploy result the webhook-service streams. */
    private static final Semaphore RESULTS = new Semaphore(0);

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]).toAbsolutePath();
        int pushes = Integer.parseInt(args[1]);
        String webhook = args.length > 2 ? args[2].replaceAll("/+$", "") : "http://127.0.0.1:8088";
        int masters = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String secret = Files.readString(state.resolve("webhook-secret")).trim();
        String token = Files.readString(state.resolve("api-token")).trim();
        Path clone = Files.createTempDirectory("momentum-bench-clone");
        followResults(webhook, token);
        try {
            git(clone.getParent(), "clone", "-q", "-b", "production", state.resolve("git/control.git").toString(),
                    clone.toString());
            List<Long> millis = new ArrayList<>();
            List<long[]> hops = new ArrayList<>();
            int warmUps = 0;
            for (int i = 0; i <= pushes; i++) {
                Files.writeString(clone.resolve("manifests/site.pp"), "# bench push " + i + " " + System.nanoTime()
                        + "\n", java.nio.file.StandardOpenOption.APPEND);
                git(clone, "commit", "-q", "-am", "bench push " + i);
                git(clone, "push", "-q", "origin", "production");
                String commit = git(clone, "rev-parse", "HEAD").trim();
                String previous = git(clone, "rev-parse", "HEAD~1").trim();

                Instant posted = Instant.now();
                long start = System.nanoTime();
                String requestId = postWebhook(webhook, state, secret, previous, commit);
                String deploy = awaitComplete(webhook, requestId, token);
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                Instant seen = Instant.now();
                int reported = count(RESULT.matcher(deploy));
                if (masters > 0 && reported != masters) {
                    // Masters that just joined count once the webhook's view has them READY: warm up until then.
                    if (i > 0 || ++warmUps > 30) {
                        throw new IllegalStateException(reported + " masters reported, not " + masters + ": " + deploy);
                    }
                    Thread.sleep(500);
                    i--;
                    continue;
                }
                if (i == 0) {
                    warmUps++;
                } else { // the first push warms up
                    millis.add(elapsed);
                    hops.add(hops(deploy, posted, seen));
                }
            }
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            System.out.printf("push-to-consistent  pushes=%d  min=%d ms  median=%d ms  p99=%d ms  max=%d ms"
                    + "  warm-ups=%d%n", sorted.size(), sorted.get(0), percentile(sorted, 50), percentile(sorted, 99),
                    sorted.get(sorted.size() - 1), warmUps);
            long[] median = new long[HOPS.length];
            for (int h = 0; h < HOPS.length; h++) {
                List<Long> column = new ArrayList<>();
                for (long[] push : hops) {
                    column.add(push[h]);
                }
                Collections.sort(column);
                median[h] = percentile(column, 50);
            }
            long[] slowest = hops.get(millis.indexOf(sorted.get(sorted.size() - 1)));
            System.out.println("hops median  " + describe(median));
            System.out.println("hops slowest " + describe(slowest));
        } finally {
            new ProcessBuilder("rm", "-rf", "--", clone.toString()).inheritIO().start().waitFor();
        }
    }

    /** The hops of one push, along its slowest master (the one that completed it). */
    private static final String[] HOPS = {"intake", "plan", "pickup", "deploy", "report"};
    private static final Pattern RESULT = Pattern.compile("\"finishedAt\":\"([^\"]+)\",\"durationMs\":(\\d+)");

    /**
     * intake: POST until the webhook's requestedAt; plan: until the planner's plannedAt; pickup: until the slowest
     * master started its deploy (finishedAt - durationMs); deploy: its durationMs; report: from its finishedAt until
     * the webhook's API said complete (and this poll saw it).
     */
    private static long[] hops(String deploy, Instant posted, Instant seen) {
        Instant requested = instant(deploy, "requestedAt");
        Instant planned = instant(deploy, "plannedAt");
        Instant finished = Instant.MIN;
        long duration = 0;
        Matcher m = RESULT.matcher(deploy);
        while (m.find()) {
            Instant at = Instant.parse(m.group(1));
            if (at.isAfter(finished)) {
                finished = at;
                duration = Long.parseLong(m.group(2));
            }
        }
        Instant started = finished.minusMillis(duration);
        return new long[] {millis(posted, requested), millis(requested, planned), millis(planned, started), duration,
                millis(finished, seen)};
    }

    private static Instant instant(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return Instant.parse(m.group(1));
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String describe(long[] hops) {
        StringBuilder line = new StringBuilder();
        for (int h = 0; h < HOPS.length; h++) {
            line.append(HOPS[h]).append('=').append(hops[h]).append(' ');
        }
        return line.append("(ms)").toString();
    }

    private static String postWebhook(String webhook, Path state, String secret, String before, String after)
            throws Exception {
        String body = "{\"ref\":\"refs/heads/production\",\"before\":\"" + before + "\",\"after\":\"" + after
                + "\",\"created\":false,\"deleted\":false,\"forced\":false,"
                + "\"repository\":{\"name\":\"control\",\"full_name\":\"local/control\",\"clone_url\":\"file://"
                + state.resolve("git/control.git") + "\"},\"pusher\":{\"name\":\"bench\",\"email\":\"bench@localhost\"},"
                + "\"sender\":{\"login\":\"bench\"},\"head_commit\":{\"id\":\"" + after + "\"},\"commits\":[]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(webhook + "/payload"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString()).header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(response.body());
        if (response.statusCode() != 202 || !m.find()) {
            throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
        }
        return m.group(1);
    }

    private static String awaitComplete(String webhook, String requestId, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook + "/api/v1/deploys/" + requestId))
                .header("Authorization", "Bearer " + token).build();
        while (System.nanoTime() < deadline) {
            RESULTS.drainPermits();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && response.body().contains("\"complete\":true")) {
                if (response.body().contains("\"FAILED\"")) {
                    throw new IllegalStateException("a master failed: " + response.body());
                }
                return response.body();
            }
            RESULTS.tryAcquire(50, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("request " + requestId + " was not complete within 120 s");
    }

    /** Follows the webhook-service's event stream in the background, releasing RESULTS at every deploy result. */
    private static void followResults(String webhook, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook + "/api/v1/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        EVENTS.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            if (response.statusCode() != 200) {
                System.err.println("event stream answered " + response.statusCode() + "; polling only");
                return;
            }
            response.body().filter(line -> line.replace(" ", "").equals("event:deploy-result"))
                    .forEach(line -> RESULTS.release());
        });
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

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
