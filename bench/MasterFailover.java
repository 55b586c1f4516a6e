import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A compile master failing and recovering, against a running quickstart fleet: creates
 * {@code <stateDir>/masters/<id>/demo-down} (the demo master's status endpoint then answers 503) and measures until
 * requests through nginx stop reaching that master, then removes it and measures until they reach it again. That is
 * the health monitor (probe interval, fall and rise thresholds) plus lb-config-service (debounce, nginx -t, reload)
 * end to end. Sequential {@code GET /code/production} requests, one connection each, poll nginx meanwhile.
 *
 * <p>Cycles take the given masters in turn. Keep it to two cycles per master within five minutes: the health
 * monitor holds a master out of the pool for two minutes after six health changes within five (flap damping).
 *
 * <p>"Out" is the first request of 10 in a row answered by other masters; "back" the first request answered by the
 * master. Prints min, median and max of each, and the requests that failed during the whole run.
 *
 * <p>Usage: {@code java bench/MasterFailover.java <stateDir> <nginxPort> <masterId[,masterId...]> <cycles>}
 */
public final class MasterFailover {

    private static final int STREAK = 10;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static long failed;

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        List<String> masters = List.of(args[2].split(","));
        int cycles = Integer.parseInt(args[3]);
        for (String master : masters) {
            Files.deleteIfExists(flag(state, master));
            untilBack(port, master, System.nanoTime());
        }

        List<Long> out = new ArrayList<>();
        List<Long> back = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            String master = masters.get(i % masters.size());
            Path flag = flag(state, master);
            try {
                long start = System.nanoTime();
                Files.writeString(flag, "bench\n");
                out.add(untilOut(port, master, start));
                Thread.sleep(1000);
                start = System.nanoTime();
                Files.delete(flag);
                back.add(untilBack(port, master, start));
                Thread.sleep(1000);
            } finally {
                Files.deleteIfExists(flag);
            }
        }
        Collections.sort(out);
        Collections.sort(back);
        System.out.printf("master-failover  cycles=%d  out: min=%d median=%d max=%d ms  back: min=%d median=%d"
                + " max=%d ms  failed-requests=%d%n", cycles, out.get(0), out.get(out.size() / 2),
                out.get(out.size() - 1), back.get(0), back.get(back.size() / 2), back.get(back.size() - 1), failed);
    }

    private static Path flag(Path state, String master) {
        return state.resolve("masters").resolve(master).resolve("demo-down");
    }

    private static long untilOut(int port, String master, long start) {
        long streakStart = 0;
        int streak = 0;
        while (System.nanoTime() - start < TIMEOUT_NANOS) {
            long sent = System.nanoTime();
            String answer = get(port);
            if (answer == null) {
                failed++;
            } else if (answer.equals(master)) {
                streak = 0;
            } else if (streak++ == 0) {
                streakStart = sent;
            }
            if (streak >= STREAK) {
                return (streakStart - start) / 1_000_000;
            }
        }
        throw new IllegalStateException(master + " still served 60 s after its status turned 503");
    }

    private static long untilBack(int port, String master, long start) {
        while (System.nanoTime() - start < TIMEOUT_NANOS) {
            long sent = System.nanoTime();
            String answer = get(port);
            if (answer == null) {
                failed++;
            } else if (answer.equals(master)) {
                return (sent - start) / 1_000_000;
            }
        }
        throw new IllegalStateException(master + " not served 60 s after its status recovered");
    }

    /** The name of the master that answered {@code GET /code/production}, or null when the request failed. */
    private static String get(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream request = socket.getOutputStream();
            request.write("GET /code/production HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200") || body < 0) {
                return null;
            }
            String[] words = response.substring(body + 4).trim().split("\\s+");
            return words[words.length - 1]; // "<commit> <master>"
        } catch (IOException e) {
            return null;
        }
    }
}
