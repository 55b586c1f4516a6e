package io.momentum.webhook.bench;

import io.momentum.webhook.Deliveries;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
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
 * fixed number in flight (one client thread with its own keep-alive connection each, closed loop); prints pushes per
 * second, latency percentiles and the CPU time this JVM (client, service and broker together) spent per push, which
 * a loaded machine distorts less than the rate. Runs at {@code bench.concurrency} and again at
 * {@code bench.high-concurrency}. Excluded from the normal run; start it with {@code ./mvnw -o -pl webhook-service
 * test -Dtest=WebhookLoadBench -Dbench.requests=5000 -Dbench.concurrency=32 -Dbench.high-concurrency=256}.
 * <p>
 * The load generator is kept cheap, so that its CPU stays out of the service's figures: every delivery is built and
 * signed (a git host's work) before the clock starts, and sent as raw HTTP/1.1 bytes on a plain socket.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WebhookLoadBench {

    private static final int MAX_WARM_UP_ROUNDS = 8;

    @TestHTTPResource("/payload")
    URL payload;

    @Test
    void signedGitHubPushes() throws Exception {
        int requests = Integer.getInteger("bench.requests", 5000);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        int highConcurrency = Integer.getInteger("bench.high-concurrency", 256);
        warmUp(Math.max(1000, requests / 2), concurrency);
        run(requests, concurrency, "measured");
        run(requests, highConcurrency, "measured high");
    }

    /**
     * Rounds of pushes until the JIT has settled: until compiling took less than a tenth of a round's time, at most
     * {@value #MAX_WARM_UP_ROUNDS} rounds. One fixed round was not enough on a busy machine: the measured run then
     * paid for compiling the request path (a third of its CPU per push, and a slower, noisier rate).
     */
    private void warmUp(int pushesPerRound, int concurrency) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        for (int round = 1; round <= MAX_WARM_UP_ROUNDS; round++) {
            long compiledBefore = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            run(pushesPerRound, concurrency, "warm-up " + round);
            long roundMillis = (System.nanoTime() - start) / 1_000_000;
            if ((jit.getTotalCompilationTime() - compiledBefore) * 10 < roundMillis) {
                return;
            }
        }
    }

    private void run(int requests, int concurrency, String label) throws Exception {
        List<byte[]> deliveries = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            deliveries.add(signedPush(i));
        }
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
                    Connection connection = new Connection(payload);
                    try {
                        for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                            send(connection, deliveries.get(i), latencies, failures);
                        }
                    } finally {
                        connection.close();
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
        if (thread.startsWith("bench-client")) {
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

    /** One push as a git host sends it: a unique delivery id, the body signed, the whole request as bytes. */
    private byte[] signedPush(int i) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = Deliveries.payload("github", "push", "bench_" + (i % 50), deliveryId)
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST ").append(payload.getPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(payload.getHost()).append(':').append(payload.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        Deliveries.headers("github", "push", body, deliveryId)
                .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private static void send(Connection connection, byte[] request, List<Long> latencies, AtomicInteger failures) {
        long sent = System.nanoTime();
        try {
            if (connection.exchange(request) != 202) {
                failures.incrementAndGet();
            }
        } catch (IOException e) {
            failures.incrementAndGet();
            connection.close();
        } finally {
            latencies.add(System.nanoTime() - sent);
        }
    }

    /**
     * A keep-alive HTTP/1.1 connection that sends ready-made requests and reads just enough of each answer to find
     * its status and its end (Content-Length or chunked); reconnects when the server closed it.
     */
    private static final class Connection {
        private final URL target;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[8192];
        private int start;
        private int end;

        Connection(URL target) {
            this.target = target;
        }

        int exchange(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket(target.getHost(), target.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                in = socket.getInputStream();
                out = socket.getOutputStream();
                start = 0;
                end = 0;
            }
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long chunk = chunkSize(); chunk > 0; chunk = chunkSize()) {
                    skip(chunk);
                    line();
                }
                line();
            } else {
                skip(length);
            }
            if (close) {
                close();
            }
            return status;
        }

        private long chunkSize() throws IOException {
            return Long.parseLong(line().trim(), 16);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (start == end) {
                    fill();
                }
                byte b = buffer[start++];
                if (b == '\n') {
                    int last = line.length() - 1;
                    return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
                }
                line.append((char) b);
            }
        }

        private void skip(long bytes) throws IOException {
            while (bytes > 0) {
                if (start == end) {
                    fill();
                }
                int taken = (int) Math.min(bytes, end - start);
                start += taken;
                bytes -= taken;
            }
        }

        private void fill() throws IOException {
            int read = in.read(buffer);
            if (read < 0) {
                throw new EOFException("connection closed by the server");
            }
            start = 0;
            end = read;
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Nothing more to send on it.
                }
                socket = null;
            }
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
