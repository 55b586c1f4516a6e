package io.momentum.lb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** HTTP/1.1 requests with {@code Connection: close} through the load balancer, one connection each. */
public final class Traffic {

    private Traffic() {
    }

    /** The answering backend's name, or empty when the request failed. */
    public static Optional<String> get(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200")) {
                return Optional.empty();
            }
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? Optional.empty() : Optional.of(response.substring(body + 4));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The names that answered {@code requests} sequential requests ("<failed>" for a failure). */
    public static Set<String> sample(int port, int requests) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(get(port).orElse("<failed>"));
        }
        return seen;
    }
}
