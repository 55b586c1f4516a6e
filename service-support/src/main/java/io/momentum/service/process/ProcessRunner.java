package io.momentum.service.process;

import io.momentum.service.concurrent.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external {@link Command}: no shell, stdin closed, output drained on its own thread so a chatty command
 * never blocks on a full pipe (only its end is kept), and on a timeout or an interrupt the whole process tree is
 * killed, so that a tool's children (git under r10k, say) do not live on.
 */
public final class ProcessRunner {

    private static final long DRAIN_WAIT_MILLIS = 2_000;

    private ProcessRunner() {
    }

    public static ProcessResult run(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.arguments()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (command.workDir() != null) {
            builder.directory(command.workDir().toFile());
        }
        builder.environment().putAll(command.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ProcessResult(command.program(), ProcessResult.Ending.NOT_STARTED, -1,
                    String.valueOf(e.getMessage()));
        }
        OutputTail tail = new OutputTail(process.getInputStream(), command.outputLimit());
        Thread drain = DaemonThreads.thread(command.program() + "-output", tail);
        drain.start();
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                return new ProcessResult(command.program(), ProcessResult.Ending.TIMED_OUT, -1, tail.text(drain));
            }
            return new ProcessResult(command.program(), ProcessResult.Ending.EXITED, process.exitValue(),
                    tail.text(drain));
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return new ProcessResult(command.program(), ProcessResult.Ending.INTERRUPTED, -1, "");
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the last {@code limit} characters of a stream. */
    private static final class OutputTail implements Runnable {
        private final InputStream in;
        private final int limit;
        private final StringBuilder tail = new StringBuilder();

        OutputTail(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (tail) {
                        tail.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                        if (tail.length() > limit) {
                            tail.delete(0, tail.length() - limit);
                        }
                    }
                }
            } catch (IOException e) {
                // The process is gone; what was read is all there is.
            }
        }

        String text(Thread drain) {
            try {
                drain.join(DRAIN_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                return tail.toString().strip();
            }
        }
    }
}
