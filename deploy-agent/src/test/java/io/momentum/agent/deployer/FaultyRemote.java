package io.momentum.agent.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port on loopback in front of a real git server, with a switch: {@code FORWARD} passes both directions
 * through, {@code HANG} accepts connections and never answers (a git host that is up but stuck). What is switched
 * applies to connections accepted from then on.
 */
final class FaultyRemote implements AutoCloseable {

    enum Mode { FORWARD, HANG }

    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    FaultyRemote(int targetPort) {
        this.target = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "faulty-remote-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void mode(Mode next) {
        mode = next;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                if (mode == Mode.FORWARD) {
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(upstream);
                    pipe(client.getInputStream(), upstream.getOutputStream(), upstream);
                    pipe(upstream.getInputStream(), client.getOutputStream(), client);
                }
            } catch (IOException e) {
                // closed, or the client went away: nothing to forward
            }
        }
    }

    private static void pipe(InputStream from, OutputStream to, Socket closeAtEnd) {
        Thread thread = new Thread(() -> {
            try (closeAtEnd) {
                from.transferTo(to);
            } catch (IOException e) {
                // one side closed: the connection is over
            }
        }, "faulty-remote-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
