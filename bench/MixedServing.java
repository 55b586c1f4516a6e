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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mixed serving, against a running quickstart fleet: pushes to {@code production} continuously (the control
 * repository's hook sends the webhook) while client threads request {@code /code/production} through the load
 * balancer, each on a new connection, recording which commit and which master answered. Prints:
 * <ul>
 * <li>{@code regressions}: requests answered with an older commit than one an earlier request had already been
 * answered with: an agent getting new code, then old code again from another master, which is what a
 * fleet-consistent rollout must prevent;</li>
 * <li>{@code spread}: per push, the time between the first and the last master seen serving it.</li>
 * </ul>
 *
 * <p>Usage: {@code java bench/MixedServing.java <stateDir> <pushes> <lbHostPort> [intervalMs] [clients]}.
 */
public final class MixedServing {

    record Answer(long startNanos, long endNanos, String commit, String master) {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]).toAbsolutePath();
        int pushes = Integer.parseInt(args[1]);
        String[] lb = args[2].split(":");
        InetSocketAddress address = new InetSocketAddress(lb[0], Integer.parseInt(lb[1]));
        long intervalMs = args.length > 3 ? Long.parseLong(args[3]) : 1500;
        int clients = args.length > 4 ? Integer.parseInt(args[4]) : 4;

        Path clone = Files.createTempDirectory("momentum-bench-mixed");
        List<String> order = new ArrayList<>();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        try {
            git(clone.getParent(), "clone", "-q", "-b", "production", state.resolve("git/control.git").toString(),
                    clone.toString());
            order.add(git(clone, "rev-parse", "HEAD").trim());
            for (int i = 0; i < clients; i++) {
                Thread client = new Thread(() -> {
                    while (running.get()) {
                        Answer answer = get(address);
                        if (answer != null) {
                            answers.add(answer);
                        }
                    }
                }, "client-" + i);
                client.start();
                threads.add(client);
            }
            Thread.sleep(intervalMs);
            for (int i = 0; i < pushes; i++) {
                Files.writeString(clone.resolve("manifests/site.pp"), "# mixed-serving push " + i + " "
                        + System.nanoTime() + "\n", java.nio.file.StandardOpenOption.APPEND);
                git(clone, "commit", "-q", "-am", "mixed-serving push " + i);
                synchronized (order) {
                    order.add(git(clone, "rev-parse", "HEAD").trim());
                }
                git(clone, "push", "-q", "origin", "production");
                Thread.sleep(intervalMs);
            }
            Thread.sleep(Math.max(3000, intervalMs));
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            new ProcessBuilder("rm", "-rf", "--", clone.toString()).inheritIO().start().waitFor();
        }
        report(order, new ArrayList<>(answers), pushes);
    }

    private static void report(List<String> order, List<Answer> answers, int pushes) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i);
        }
        answers.removeIf(a -> !rank.containsKey(a.commit()));
        answers.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        List<Answer> byEnd = new ArrayList<>(answers);
        byEnd.sort((a, b) -> Long.compare(a.endNanos(), b.endNanos()));

        // Regressions: newest rank among answers that had ended before this one started.
        int regressions = 0;
        int ended = 0;
        int newestSeen = -1;
        for (Answer answer : answers) {
            while (ended < byEnd.size() && byEnd.get(ended).endNanos() < answer.startNanos()) {
                newestSeen = Math.max(newestSeen, rank.get(byEnd.get(ended).commit()));
                ended++;
            }
            if (rank.get(answer.commit()) < newestSeen) {
                regressions++;
            }
        }

        // Per push: when each master was first seen serving it (or newer).
        List<Long> spreads = new ArrayList<>();
        List<String> masters = answers.stream().map(Answer::master).distinct().sorted().toList();
        for (int k = 1; k < order.size(); k++) {
            Map<String, Long> firstByMaster = new HashMap<>();
            for (Answer answer : byEnd) {
                if (rank.get(answer.commit()) >= k) {
                    firstByMaster.putIfAbsent(answer.master(), answer.endNanos());
                }
            }
            if (!firstByMaster.isEmpty() && firstByMaster.keySet().containsAll(masters)) {
                spreads.add((Collections.max(firstByMaster.values()) - Collections.min(firstByMaster.values()))
                        / 1_000_000);
            }
        }
        Collections.sort(spreads);
        System.out.printf("mixed-serving  pushes=%d  requests=%d  masters=%d  regressions=%d (%.2f%%)"
                + "  spread median=%d ms p99=%d ms max=%d ms%n", pushes, answers.size(), masters.size(), regressions,
                100.0 * regressions / Math.max(1, answers.size()), percentile(spreads, 50),
                percentile(spreads, 99), spreads.isEmpty() ? -1 : spreads.get(spreads.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** One request on a new connection (HTTP/1.0), so the load balancer picks a master anew. */
    private static Answer get(InetSocketAddress address) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /code/production HTTP/1.0\r\nHost: momentum\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            long end = System.nanoTime();
            int body = raw.indexOf("\r\n\r\n");
            if (!raw.startsWith("HTTP/1.1 200") && !raw.startsWith("HTTP/1.0 200") || body < 0) {
                return null;
            }
            String[] fields = raw.substring(body + 4).trim().split(" ");
            return fields.length < 2 ? null : new Answer(start, end, fields[0], fields[1]);
        } catch (IOException e) {
            return null;
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c",
                "user.email=bench@localhost"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + output);
        }
        return output;
    }
}
