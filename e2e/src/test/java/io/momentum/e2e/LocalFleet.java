package io.momentum.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives the local fleet the way a user does: through deploy/quickstart.sh, git and HTTP. */
final class LocalFleet {

    /** Shifts every quickstart port, so the tests run beside a developer's own fleet. */
    static final int PORT_OFFSET = 1000;
    static final String NGINX = "http://127.0.0.1:" + (18140 + PORT_OFFSET);
    static final String LB_API = "http://127.0.0.1:" + (8090 + PORT_OFFSET);
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    final Path root;
    final Path state;
    final int portOffset;

    LocalFleet(Path root, Path state) {
        this(root, state, PORT_OFFSET);
    }

    /** A fleet of its own: another state directory and port offset than FleetIT's. */
    LocalFleet(Path root, Path state, int portOffset) {
        this.root = root;
        this.state = state;
        this.portOffset = portOffset;
    }

    static LocalFleet fromSystemProperties() {
        return fromSystemProperties("momentum-local", PORT_OFFSET);
    }

    /** @param stateDir the fleet's directory under e2e/target */
    static LocalFleet fromSystemProperties(String stateDir, int portOffset) {
        Path root = Path.of(System.getProperty("momentum.root", "..")).toAbsolutePath().normalize();
        return new LocalFleet(root, root.resolve("e2e/target").resolve(stateDir), portOffset);
    }

    /** The webhook-service of this fleet: the deploy API and the console. */
    String webhookApi() {
        return "http://127.0.0.1:" + (8088 + portOffset);
    }

    /** Runs {@code deploy/quickstart.sh args...}, failing with its output when it fails. */
    String quickstart(String... args) {
        return quickstart(java.util.Map.of(), args);
    }

    /** The same with settings the quickstart reads from its environment (MOMENTUM_ROLLOUT, ...). */
    String quickstart(java.util.Map<String, String> settings, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/quickstart.sh").toString()));
        command.addAll(List.of(args));
        return run(root, command, Duration.ofMinutes(5), settings);
    }

    String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=e2e", "-c", "user.email=e2e@localhost"));
        command.addAll(List.of(args));
        return run(dir, command, Duration.ofMinutes(1));
    }

    /** A fresh clone of the control repository's {@code branch}, in a new directory under {@code work}. */
    Path cloneControl(Path work, String branch) {
        Path clone = work.resolve(branch + "-" + System.nanoTime());
        git(work, "clone", "-q", "-b", branch, state.resolve("git/control.git").toString(), clone.toString());
        return clone;
    }

    /**
     * Appends {@code content} to {@code file} in {@code clone}, commits and pushes; the post-receive hook's webhook,
     * accepted, deploys it. The commit pushed.
     */
    String pushAppended(Path clone, String file, String content, String message) {
        try {
            Files.writeString(clone.resolve(file), content, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(clone, "commit", "-q", "-am", message);
        String commit = git(clone, "rev-parse", "HEAD").trim();
        push(clone);
        return commit;
    }

    /** Pushes the clone's branch; fails unless the hook's webhook was accepted. */
    void push(Path clone) {
        String branch = git(clone, "rev-parse", "--abbrev-ref", "HEAD").trim();
        String pushed = git(clone, "push", "-q", "origin", branch);
        if (!pushed.contains("answered 202")) {
            throw new AssertionError("the webhook of the push to " + branch + " was not accepted:\n" + pushed);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String run(Path dir, List<String> command, Duration timeout) {
        return run(dir, command, timeout, java.util.Map.of());
    }

    private String run(Path dir, List<String> command, Duration timeout, java.util.Map<String, String> settings) {
        try {
            Path log = Files.createTempFile("fleet-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MOMENTUM_LOCAL_DIR", state.toString());
            builder.environment().put("MOMENTUM_PORT_OFFSET", Integer.toString(portOffset));
            builder.environment().putAll(settings);
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

    /**
     * GET url on a new connection every time (HTTP/1.0), so nginx balances each request anew: the status and
     * body, or status -1 when nothing answers.
     */
    Response get(String url) {
        URI uri = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(("GET " + uri.getRawPath() + " HTTP/1.0\r\nHost: " + uri.getHost()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = raw.indexOf("\r\n\r\n");
            String[] statusLine = raw.split(" ", 3);
            if (headerEnd < 0 || statusLine.length < 2) {
                return new Response(-1, raw);
            }
            return new Response(Integer.parseInt(statusLine[1]), raw.substring(headerEnd + 4));
        } catch (IOException | NumberFormatException e) {
            return new Response(-1, e.toString());
        }
    }

    /**
     * Calls an API with the quickstart's token: the status and body. {@code path} is under the webhook-service, or
     * a whole URL (health-monitor's and lb-config-service's APIs take the same token).
     */
    Response api(String method, String path, String json) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        URI.create(path.startsWith("http") ? path : webhookApi() + path))
                .header("Authorization", "Bearer " + readState("api-token").trim())
                .timeout(Duration.ofSeconds(30));
        request = json == null ? request.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json));
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The git commit module {@code module} is deployed at in {@code environment} on {@code masterId}. */
    String deployedModuleSha(String masterId, String environment, String module) {
        Path info = state.resolve("masters").resolve(masterId).resolve("environments").resolve(environment)
                .resolve(".r10k-deploy.json");
        try {
            if (!Files.exists(info)) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"" + module
                    + "\",\\s*\"version\"\\s*:\\s*\"[^\"]*\",\\s*\"sha\"\\s*:\\s*\"([0-9a-f]{40})\"")
                    .matcher(Files.readString(info));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
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
