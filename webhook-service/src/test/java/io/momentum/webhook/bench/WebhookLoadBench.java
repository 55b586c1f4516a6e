package io.momentum.webhook.bench;

import io.momentum.webhook.Deliveries;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Load tool, not a test: signed GitHub pushes against the real service and the embedded broker (acks=all), with a
 * bounded number in flight; prints pushes per second and latency percentiles. Excluded from the normal run; start
 * it with {@code ./mvnw -o -pl webhook-service test -Dtest=WebhookLoadBench -Dbench.requests=5000
 * -Dbench.concurrency=32}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WebhookLoadBench {

    @TestHTTPResource("/payload")
    URL payload;

    @Test
    void signedGitHubPushes() throws Exception {
        int requests = Integer.getInteger("bench.requests", 5000);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        run(client, Math.max(200, requests / 10), concurrency, "warm-up");
        run(client, requests, concurrency, "measured");
    }

    private void run(HttpClient client, int requests, int concurrency, String label) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(requests));
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(requests);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            String deliveryId = UUID.randomUUID().toString();
            byte[] body = Deliveries.payload("github", "push", "bench_" + (i % 50), deliveryId)
                    .getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(payload.toString()))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, String> h : Deliveries.headers("github", "push", body, deliveryId).entrySet()) {
                request.header(h.getKey(), h.getValue());
            }
            inFlight.acquire();
            long sent = System.nanoTime();
            all.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        latencies.add(System.nanoTime() - sent);
                        if (failure != null || response.statusCode() != 202) {
                            failures.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%n[bench %s] %d signed GitHub pushes, %d in flight, %d not 202: %.0f pushes/s;"
                + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (load average %s)%n%n", label, requests,
                concurrency, failures.get(), requests / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6, loadAverage());
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    private static String loadAverage() {
        return String.format("%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
