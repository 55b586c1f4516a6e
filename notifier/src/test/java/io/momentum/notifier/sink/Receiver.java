package io.momentum.notifier.sink;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver on the loopback (the JDK's server) that records every call and answers with scripted
 * statuses (200 once the script is used up), optionally holding each answer until released.
 */
public final class Receiver implements AutoCloseable {

    /** One call as the receiver saw it; header names lower-case. */
    public record Call(String method, String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
                    new String(body, StandardCharsets.UTF_8)));
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status;
            synchronized (statuses) {
                status = statuses.isEmpty() ? 200 : statuses.removeFirst();
            }
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** The next answers, in order. */
    public Receiver answering(Integer... next) {
        synchronized (statuses) {
            statuses.addAll(List.of(next));
        }
        return this;
    }

    /** Holds every answer until {@link #release()}. */
    Receiver holding() {
        hold = new CountDownLatch(1);
        return this;
    }

    void release() {
        hold.countDown();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
