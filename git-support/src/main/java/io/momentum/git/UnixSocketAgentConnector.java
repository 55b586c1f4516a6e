package io.momentum.git;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.transport.sshd.agent.AbstractConnector;

/**
 * Talks to an ssh-agent over its Unix socket with the JDK's own Unix-domain channels; JGit's agent bundle (JNA) is
 * not needed. The SSH agent protocol frames every message with a 4-byte length, which {@link AbstractConnector}
 * writes and checks.
 */
final class UnixSocketAgentConnector extends AbstractConnector {

    private final Path socket;
    private SocketChannel channel;

    UnixSocketAgentConnector(Path socket) {
        this.socket = socket;
    }

    @Override
    public synchronized boolean connect() throws IOException {
        if (channel != null) {
            return true;
        }
        if (socket == null || !Files.exists(socket)) {
            return false;
        }
        SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            opened.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        channel = opened;
        return true;
    }

    @Override
    public synchronized byte[] rpc(byte command, byte[] message) throws IOException {
        if (channel == null) {
            throw new IOException("ssh-agent at " + socket + " is not connected");
        }
        prepareMessage(command, message);
        ByteBuffer request = ByteBuffer.wrap(message);
        while (request.hasRemaining()) {
            channel.write(request);
        }
        byte[] length = readFully(4);
        return readFully(toLength(command, length));
    }

    private byte[] readFully(int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("ssh-agent at " + socket + " closed the connection");
            }
        }
        return buffer.array();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
