package io.momentum.lb.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/** Small HTTP servers on 127.0.0.1, each answering its own name: stand-ins for compile masters. */
public final class LoopbackBackends implements AutoCloseable {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();

    public static LoopbackBackends start(String... names) throws IOException {
        LoopbackBackends backends = new LoopbackBackends();
        for (String name : names) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            backends.servers.put(name, server);
        }
        return backends;
    }

    public String address(String name) {
        return "127.0.0.1:" + servers.get(name).getAddress().getPort();
    }

    @Override
    public void close() {
        servers.values().forEach(server -> server.stop(0));
    }
}
