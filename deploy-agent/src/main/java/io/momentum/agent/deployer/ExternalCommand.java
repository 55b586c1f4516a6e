package io.momentum.agent.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a deploy tool as an argument list (never through a shell), with a timeout, and keeps the tail of its output
 * for the error message. An interrupt or a timeout kills the whole process tree.
 */
final class ExternalCommand {

    private static final int TAIL_LINES = 20;

    record Result(int exitCode, String outputTail) {
    }

    private ExternalCommand() {
    }

    static Result run(List<String> command, Path workDir, Duration timeout) throws DeployException {
        String tool = Path.of(command.get(0)).getFileName().toString();
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DeployException("cannot run " + tool + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> collect(process.getInputStream(), tail), tool + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new DeployException(tool + " did not finish within " + timeout.toSeconds() + " s and was killed"
                        + lastLines(tail, reader));
            }
            return new Result(process.exitValue(), lastLines(tail, reader));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new DeployException(tool + " was interrupted and killed");
        } catch (IOException e) {
            kill(process);
            throw new DeployException("cannot run " + tool + ": " + e.getMessage(), e);
        }
    }

    private static void collect(InputStream output, Deque<String> tail) {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The process is gone; what was read is all there is.
        }
    }

    private static String lastLines(Deque<String> tail, Thread reader) {
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return tail.isEmpty() ? "" : ": " + String.join("\n", tail);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
