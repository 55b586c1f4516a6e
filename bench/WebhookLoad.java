import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook intake at saturation, against a running quickstart fleet: signed GitHub push webhooks for one branch of
 * the sample control repository, each with its own delivery id, with a fixed number in flight. The service answers
 * 202 only once Kafka (acks=all) has the DeployRequest, so the latency includes that acknowledgement. The deploy
 * agents of the fleet consume the requests meanwhile (they coalesce them: one commit), as they would in production.
 *
 * <p>Points the branch ({@code bench_intake} by default) at production's head in the bare control repository (no
 * hook runs for that), sends a warm-up of max(500, N/10) requests, then N measured ones; prints requests per second
 * and latency min, median, p99 and max, and the number of answers other than 202.
 *
 * <p>Usage: {@code java bench/WebhookLoad.java <stateDir> <webhookBaseUrl> <requests> <concurrency> [branch]}
 */
public final class WebhookLoad {

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]).toAbsolutePath();
        String webhook = args[1].replaceAll("/+$", "");
        int requests = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        String branch = args.length > 4 ? args[4] : "bench_intake";
        String secret = Files.readString(state.resolve("webhook-secret")).trim();
        Path control = state.resolve("git/control.git");
        git(control, "branch", "-f", branch, "production");
        String after = git(control, "rev-parse", branch).trim();
        String before = git(control, "rev-parse", branch + "~1").trim();
        byte[] body = ("{\"ref\":\"refs/heads/" + branch + "\",\"before\":\"" + before + "\",\"after\":\"" + after
                + "\",\"created\":false,\"deleted\":false,\"forced\":false,"
                + "\"repository\":{\"name\":\"control\",\"full_name\":\"local/control\",\"clone_url\":\"file://"
                + control + "\"},\"pusher\":{\"name\":\"bench\",\"email\":\"bench@localhost\"},"
                + "\"sender\":{\"login\":\"bench\"},\"head_commit\":{\"id\":\"" + after + "\"},\"commits\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI payload = URI.create(webhook + "/payload");
        run(client, payload, body, signature, Math.max(500, requests / 10), concurrency, true);
        run(client, payload, body, signature, requests, concurrency, false);
    }

    private static void run(HttpClient client, URI payload, byte[] body, String signature, int requests,
            int concurrency, boolean warmUp) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        long[] latencies = new long[requests];
        AtomicInteger failures = new AtomicInteger();
        List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = new ArrayList<>(requests);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            // The signature covers the body only: every request has the same body and its own delivery id.
            HttpRequest request = HttpRequest.newBuilder(payload).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-Hub-Signature-256", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            inFlight.acquire();
            int index = i;
            long sent = System.nanoTime();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                latencies[index] = System.nanoTime() - sent;
                inFlight.release();
                if (failure != null || response.statusCode() != 202) {
                    failures.incrementAndGet();
                    if (firstErrors.size() < 3) {
                        firstErrors.add(failure != null ? failure.toString()
                                : response.statusCode() + " " + response.body());
                    }
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("webhook-intake%s  requests=%d  concurrency=%d  not202=%d  rate=%.0f/s  min=%.1f ms"
                + "  median=%.1f ms  p99=%.1f ms  max=%.1f ms%n", warmUp ? "-warmup" : "", requests, concurrency,
                failures.get(), requests / seconds, sorted[0] / 1e6, percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1] / 1e6);
        firstErrors.forEach(error -> System.out.println("  not 202: " + error));
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    private static String git(Path gitDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir", gitDir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + output);
        }
        return output;
    }
}
