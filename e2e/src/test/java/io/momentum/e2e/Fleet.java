package io.momentum.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives the local fleet the way a user does: through deploy/quickstart.sh, git and HTTP. */
final class Fleet {

    static final String NGINX = "http://127.0.0.1:18140";

    final Path root;
    final Path state;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Fleet(Path root, Path state) {
        this.root = root;
        this.state = state;
    }

    static Fleet fromSystemProperties() {
        Path root = Path.of(System.getProperty("momentum.root", "..")).toAbsolutePath().normalize();
        return new Fleet(root, root.resolve("e2e/target/momentum-local"));
    }

    /** Runs {@code deploy/quickstart.sh args...}, failing with its output when it fails. */
    String quickstart(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/quickstart.sh").toString()));
        command.addAll(List.of(args));
        return run(root, command, Duration.ofMinutes(5));
    }

    String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=e2e", "-c", "user.email=e2e@localhost"));
        command.addAll(List.of(args));
        return run(dir, command, Duration.ofMinutes(1));
    }

    String run(Path dir, List<String> command, Duration timeout) {
        try {
            Path log = Files.createTempFile("fleet-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MOMENTUM_LOCAL_DIR", state.toString());
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " timed out:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            Files.delete(log);
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** GET url: the status and body, or status -1 when nothing answers. */
    Response get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).header("Connection", "close").GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted");
        }
    }

    /** The commit deployed in {@code environment} on master {@code masterId}, from r10k's deploy file. */
    String deployedCommit(String masterId, String environment) {
        Path info = state.resolve("masters").resolve(masterId).resolve("environments").resolve(environment)
                .resolve(".r10k-deploy.json");
        try {
            if (!Files.exists(info)) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"signature\"\\s*:\\s*\"([0-9a-f]{40})\"")
                    .matcher(Files.readString(info));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    String readState(String relative) {
        try {
            return Files.readString(state.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Response(int status, String body) {
    }
}
