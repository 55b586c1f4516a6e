package io.momentum.lb.backend.haproxy;

import io.momentum.service.concurrent.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One command per connection on a HAProxy CLI socket (admin socket or master CLI): send the line, half-close so
 * that HAProxy answers and closes, read everything.
 */
final class UnixSocketClient {

    /** A HAProxy that stops answering must not block the apply thread forever: the channel is closed. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("haproxy-cli-watchdog"));

    private final Path socket;

    UnixSocketClient(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    String send(String command) throws IOException {
        if (command.indexOf('\n') >= 0 || command.indexOf(';') >= 0) {
            throw new IllegalArgumentException("one command per call: " + command);
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ScheduledFuture<?> guard = WATCHDOG.schedule(() -> closeQuietly(channel), TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                return exchange(channel, command);
            } finally {
                guard.cancel(false);
            }
        }
    }

    private static String exchange(SocketChannel channel, String command) throws IOException {
        channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
        channel.shutdownOutput();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            response.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
        }
        return response.toString(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the pending read fails with AsynchronousCloseException, which is what we want
        }
    }
}
