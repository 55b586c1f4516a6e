package io.momentum.lb.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One command per connection on a HAProxy CLI socket (admin socket or master CLI): send the line, half-close so
 * that HAProxy answers and closes, read everything.
 */
final class UnixSocketClient {

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
    }
}
