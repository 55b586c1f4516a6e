package io.momentum.agent.post;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command as an argument array (never through a shell), bounded in time and output. */
final class CommandRunner {

    /** How much of a failing command's output goes into the error message. */
    private static final int OUTPUT_LIMIT = 2000;

    private CommandRunner() {
    }

    static void run(List<String> command, Map<String, String> environment, Duration timeout)
            throws PostDeployException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new PostDeployException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            OutputCollector output = new OutputCollector(process.getInputStream());
            output.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PostDeployException(command.get(0) + " did not finish within " + timeout);
            }
            output.join(TimeUnit.SECONDS.toMillis(5));
            if (process.exitValue() != 0) {
                throw new PostDeployException(command.get(0) + " exited with " + process.exitValue() + ": "
                        + output.text().strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PostDeployException(command.get(0) + " interrupted");
        } catch (IOException e) {
            process.destroyForcibly();
            throw new PostDeployException(command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Drains the output so that a chatty command never blocks on a full pipe; keeps the tail. */
    private static final class OutputCollector extends Thread {
        private final InputStream in;
        private final StringBuilder tail = new StringBuilder();

        OutputCollector(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (tail) {
                        tail.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                        if (tail.length() > OUTPUT_LIMIT) {
                            tail.delete(0, tail.length() - OUTPUT_LIMIT);
                        }
                    }
                }
            } catch (IOException e) {
                // The process ended; what was read is what there is.
            }
        }

        String text() {
            synchronized (tail) {
                return tail.toString();
            }
        }
    }
}
