package io.momentum.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Requests no well-behaved HTTP client sends, written byte by byte on a plain socket: headers far over the limit,
 * and a body trickled one byte at a time. For the hostile-input tests of every service.
 */
public final class HostileHttp {

    /**
     * What came back: the status ({@code -1} when the server closed without answering), the raw answer, and how
     * long it took from the first byte sent.
     */
    public record Answer(int status, String raw, Duration took) {
    }

    private HostileHttp() {
    }

    /** A request with one header of {@code size} bytes. */
    public static Answer oversizedHeader(int port, String method, String path, int size) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(size)
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        return exchange(port, head.getBytes(StandardCharsets.US_ASCII), null, Duration.ZERO, Duration.ofSeconds(30));
    }

    /**
     * A request announcing {@code body}'s length, whose body is then sent one byte every {@code interval}; stops
     * sending as soon as the server answers or closes, and gives up after {@code giveUp}.
     */
    public static Answer slowBody(int port, String method, String path, String headers, byte[] body,
            Duration interval, Duration giveUp) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Length: "
                + body.length + "\r\n\r\n";
        return exchange(port, head.getBytes(StandardCharsets.US_ASCII), body, interval, giveUp);
    }

    private static Answer exchange(int port, byte[] head, byte[] body, Duration interval, Duration giveUp) {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Math.max(1, interval.toMillis()));
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            out.write(head);
            out.flush();
            int sent = 0;
            long deadline = started + giveUp.toNanos();
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                if (body != null && sent < body.length) {
                    try {
                        out.write(body[sent++]);
                        out.flush();
                    } catch (SocketException e) {
                        break;
                    }
                }
                try {
                    int read = in.read();
                    if (read < 0) {
                        closed = true;
                    } else {
                        answer.write(read);
                        answer.write(in.readNBytes(in.available()));
                        if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                            socket.setSoTimeout(2000);
                            try {
                                answer.write(in.readNBytes(in.available()));
                            } catch (SocketTimeoutException e) {
                                // the head is enough
                            }
                            break;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet: send the next byte
                } catch (SocketException e) {
                    closed = true;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String raw = answer.toString(StandardCharsets.UTF_8);
            String[] statusLine = raw.split(" ", 3);
            int status = raw.startsWith("HTTP/") && statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            return new Answer(status, raw, took);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
