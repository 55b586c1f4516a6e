package io.momentum.webhook.bench;

import io.momentum.webhook.Deliveries;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Load tool, not a test: signed GitHub pushes against the real service and the embedded broker (acks=all), with a
 * fixed number in flight (one client thread each, closed loop); prints pushes per second, latency percentiles and
 * the CPU time this JVM (client, service and broker together) spent per push, which a loaded machine distorts less
 * than the rate. Runs at {@code bench.concurrency} and again at {@code bench.high-concurrency}. Excluded from the
 * normal run; start it with {@code ./mvnw -o -pl webhook-service test -Dtest=WebhookLoadBench
 * -Dbench.requests=5000 -Dbench.concurrency=32 -Dbench.high-concurrency=256}.
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
        int highConcurrency = Integer.getInteger("bench.high-concurrency", 256);
        // Synchronous sends from our own threads: HttpClient.sendAsync completes on the common pool, which on a
        // 2-core machine starts a thread per request and so measures thread creation.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Long enough for the JIT to settle; otherwise the first measured run pays for compilation.
        run(client, Math.max(1000, requests / 2), concurrency, "warm-up");
        run(client, requests, concurrency, "measured");
        run(client, requests, highConcurrency, "measured high");
    }

    private void run(HttpClient client, int requests, int concurrency, String label) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(requests));
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "bench-client"));
        Map<String, Long> threadsEnd;
        long cpuStart = processCpuNanos();
        Map<String, Long> threadsStart = cpuByRole();
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>(concurrency);
            for (int t = 0; t < concurrency; t++) {
                all.add(senders.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        send(client, i, latencies, failures);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            threadsEnd = cpuByRole();
        } finally {
            senders.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuTotal = processCpuNanos() - cpuStart;
        double cpuPerPush = cpuTotal / 1e6 / requests;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%n[bench %s] %d signed GitHub pushes, %d in flight, %d not 202: %.0f pushes/s;"
                + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.2f ms CPU per push (whole JVM)"
                + " (load average %s)%n%n", label, requests, concurrency, failures.get(), requests / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6,
                cpuPerPush, loadAverage());
        StringBuilder split = new StringBuilder();
        long javaThreads = 0;
        for (Map.Entry<String, Long> role : threadsEnd.entrySet()) {
            long spent = role.getValue() - threadsStart.getOrDefault(role.getKey(), 0L);
            javaThreads += spent;
            split.append(String.format(" %s %.2f,", role.getKey(), spent / 1e6 / requests));
        }
        System.out.printf("[bench %s cpu] ms per push by thread role:%s GC/JIT/exited threads %.2f%n%n", label,
                split, (cpuTotal - javaThreads) / 1e6 / requests);
    }

    /** CPU time of the live Java threads, summed by who they work for. */
    private static Map<String, Long> cpuByRole() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byRole = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long cpu = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byRole.merge(role(info.getThreadName()), cpu, Long::sum);
            }
        }
        return byRole;
    }

    private static String role(String thread) {
        if (thread.startsWith("bench-client") || thread.startsWith("HttpClient")) {
            return "client";
        }
        if (thread.startsWith("vert.x-eventloop")) {
            return "service-event-loop";
        }
        if (thread.startsWith("kafka-producer-network") || thread.startsWith("smallrye-kafka-producer")) {
            return "service-producer";
        }
        if (thread.startsWith("replay-")) {
            return "service-replay";
        }
        if (thread.startsWith("data-plane-kafka") || thread.startsWith("kafka-") || thread.startsWith("quorum")
                || thread.contains("Reaper") || thread.contains("coordinator")) {
            return "broker";
        }
        return "other";
    }

    private void send(HttpClient client, int i, List<Long> latencies, AtomicInteger failures) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload("github", "push", "bench_" + (i % 50), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(payload.toString()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : Deliveries.headers("github", "push", body, deliveryId).entrySet()) {
            request.header(h.getKey(), h.getValue());
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 202) {
                failures.incrementAndGet();
            }
        } catch (Exception e) {
            failures.incrementAndGet();
        } finally {
            latencies.add(System.nanoTime() - sent);
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
