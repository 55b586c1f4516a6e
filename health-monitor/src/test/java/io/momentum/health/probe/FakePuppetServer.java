package io.momentum.health.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP(S) server on loopback that answers Puppet Server's status API the way Puppet Server does, switchable
 * between running, error, starting and hanging.
 */
public final class FakePuppetServer implements AutoCloseable {

    /** What {@code /status/v1/simple} answers. */
    public enum Mode {
        RUNNING(200, "running", "running"),
        ERROR(503, "error", "error"),
        STARTING(503, "starting", "starting"),
        /** Answers nothing for a long time: longer than any probe timeout. */
        HANGING(200, "running", "running");

        final int status;
        final String body;
        final String masterState;

        Mode(int status, String body, String masterState) {
            this.status = status;
            this.body = body;
            this.masterState = masterState;
        }
    }

    private static final Duration HANG = Duration.ofSeconds(10);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.RUNNING);
    private final AtomicInteger simpleRequests = new AtomicInteger();

    private FakePuppetServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/status/v1/simple", this::simple);
        server.createContext("/status/v1/services", this::services);
        server.start();
    }

    public static FakePuppetServer http() {
        try {
            return new FakePuppetServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param needClientCertificate refuse clients without a certificate from the context's trusted CA
     */
    public static FakePuppetServer https(SSLContext context, boolean needClientCertificate) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = context.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(needClientCertificate);
                    params.setSSLParameters(parameters);
                }
            });
            return new FakePuppetServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakePuppetServer mode(Mode next) {
        mode.set(next);
        return this;
    }

    public int simpleRequests() {
        return simpleRequests.get();
    }

    public String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://localhost:" + server.getAddress().getPort();
    }

    private void simple(HttpExchange exchange) throws IOException {
        simpleRequests.incrementAndGet();
        Mode current = mode.get();
        if (current == Mode.HANGING) {
            try {
                Thread.sleep(HANG.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        respond(exchange, current.status, "text/plain;charset=utf-8", current.body);
    }

    private void services(HttpExchange exchange) throws IOException {
        Mode current = mode.get();
        String json = "{\"master\":{\"service_version\":\"7.9.5\",\"detail_level\":\"critical\",\"state\":\""
                + current.masterState + "\",\"status\":{}},\"ca\":{\"service_version\":\"7.9.5\","
                + "\"detail_level\":\"critical\",\"state\":\"running\",\"status\":{}}}";
        respond(exchange, current.status, "application/json;charset=utf-8", json);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
