package io.momentum.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The chaos scenarios' own local fleet: {@code deploy/quickstart.sh} with its own state directory and port offset
 * (3000, beside FleetIT's 1000 and the benchmark's 2000), git, signed GitHub webhooks sent the way the quickstart's
 * post-receive hook sends them, and what each master has on disk.
 */
final class ChaosFleet {

    static final int PORT_OFFSET = 3000;
    static final String NGINX = "http://127.0.0.1:" + (18140 + PORT_OFFSET);
    static final String WEBHOOK = "http://127.0.0.1:" + (8088 + PORT_OFFSET);
    static final String HEALTH = "http://127.0.0.1:" + (8089 + PORT_OFFSET);
    static final String LB = "http://127.0.0.1:" + (8090 + PORT_OFFSET);
    static final String ZERO = "0".repeat(40);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SIGNATURE = Pattern.compile("\"signature\"\\s*:\\s*\"([0-9a-f]{40})\"");
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    final Path root;
    final Path state;

    ChaosFleet(Path root, Path state) {
        this.root = root;
        this.state = state;
    }

    static ChaosFleet fromSystemProperties() {
        Path root = Path.of(System.getProperty("momentum.root", "..")).toAbsolutePath().normalize();
        return new ChaosFleet(root, root.resolve("e2e/target/momentum-chaos"));
    }

    /** Runs {@code deploy/quickstart.sh args...} on this fleet, failing with its output when it fails. */
    String quickstart(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/quickstart.sh").toString()));
        command.addAll(List.of(args));
        return run(root, command, Map.of(), Duration.ofMinutes(4));
    }

    /** git with the post-receive hook switched off: the scenarios send (and time) the webhook themselves. */
    String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=chaos", "-c",
                "user.email=chaos@localhost"));
        command.addAll(List.of(args));
        return run(dir, command, Map.of("MOMENTUM_HOOK_DISABLED", "1"), Duration.ofMinutes(2));
    }

    private String run(Path dir, List<String> command, Map<String, String> environment, Duration timeout) {
        try {
            Path log = Files.createTempFile("chaos-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MOMENTUM_LOCAL_DIR", state.toString());
            builder.environment().put("MOMENTUM_PORT_OFFSET", Integer.toString(PORT_OFFSET));
            builder.environment().putAll(environment);
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

    /** The GitHub push webhook the quickstart's hook sends, signed with the fleet's secret: the answer. */
    Response push(String branch, String before, String after, String deliveryId) {
        return signedPush(WEBHOOK, readState("webhook-secret").trim(), state.resolve("git/control.git"), branch,
                before, after, deliveryId);
    }

    /**
     * A GitHub push webhook for the repository {@code local/control} at {@code control}, signed with
     * {@code secret}, sent to {@code webhook}: the answer (status -1 when nothing answers).
     */
    static Response signedPush(String webhook, String secret, Path control, String branch, String before,
            String after, String deliveryId) {
        String body = String.format("{\"ref\":\"refs/heads/%s\",\"before\":\"%s\",\"after\":\"%s\",\"created\":%s,"
                + "\"deleted\":false,\"forced\":false,"
                + "\"repository\":{\"name\":\"control\",\"full_name\":\"local/control\","
                + "\"clone_url\":\"file://%s\",\"html_url\":\"file://%s\"},\"pusher\":{\"name\":\"chaos\","
                + "\"email\":\"chaos@localhost\"},\"sender\":{\"login\":\"chaos\"},\"head_commit\":{\"id\":\"%s\"},"
                + "\"commits\":[]}", branch, before, after, before.equals(ZERO), control, control, after);
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook + "/payload"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", deliveryId)
                .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    private static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET on one of the fleet's HTTP APIs with the quickstart's token; status -1 when nothing answers. */
    Response api(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + readState("api-token").trim())
                .timeout(Duration.ofSeconds(10)).GET().build();
        return send(request);
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** GET through nginx on a new connection (HTTP/1.0), so that every request is balanced anew. */
    Response viaNginx(String path) {
        URI uri = URI.create(NGINX + path);
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

    static String requestId(Response answer) {
        Matcher m = REQUEST_ID.matcher(answer.body());
        return m.find() ? m.group(1) : null;
    }

    Path environments(String master) {
        return state.resolve("masters").resolve(master).resolve("environments");
    }

    /** The control commit live in {@code environment} on {@code master} (its .r10k-deploy.json), or null. */
    String deployedCommit(String master, String environment) {
        try {
            Path info = environments(master).resolve(environment).resolve(".r10k-deploy.json");
            if (!Files.exists(info)) {
                return null;
            }
            Matcher m = SIGNATURE.matcher(Files.readString(info));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Why {@code environment} on {@code master} is not one whole version at one of {@code commits}, or null when it
     * is: the entry is a symlink to {@code .momentum/<env>/<version>/code}, the version has its manifest, and its
     * {@code .r10k-deploy.json} is complete (closed, successful, at one of the commits).
     */
    String halfWritten(String master, String environment, Set<String> commits) {
        Path link = environments(master).resolve(environment);
        try {
            if (!Files.isSymbolicLink(link)) {
                return link + " is not a symlink";
            }
            Path target = Files.readSymbolicLink(link);
            if (target.getNameCount() != 4 || !target.getName(0).toString().equals(".momentum")
                    || !target.getName(3).toString().equals("code") || target.getName(2).toString().startsWith(".")) {
                return link + " points at " + target + ", not at a version";
            }
            Path code = environments(master).resolve(target);
            if (!Files.isRegularFile(code.resolveSibling("deploy.json"), LinkOption.NOFOLLOW_LINKS)) {
                return target + " has no deploy.json";
            }
            String deployFile = Files.readString(code.resolve(".r10k-deploy.json"));
            Matcher m = SIGNATURE.matcher(deployFile);
            if (!deployFile.endsWith("}\n") || !deployFile.contains("\"deploy_success\": true")
                    || !deployFile.contains("\"module_deploys\"") || !m.find()) {
                return target + "/.r10k-deploy.json is incomplete:\n" + deployFile;
            }
            return commits.contains(m.group(1)) ? null : target + " is at " + m.group(1) + ", not one of " + commits;
        } catch (IOException e) {
            return link + ": " + e;
        }
    }

    /** The staging directories (versions being built) of {@code environment} on {@code master}. */
    List<Path> staging(String master, String environment) {
        Path dir = environments(master).resolve(".momentum").resolve(environment);
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".staging-*")) {
            entries.forEach(found::add);
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    String upstream() {
        return readState("nginx/momentum-upstream.conf");
    }

    /** Whether demo compile master {@code index} (mom 0, cmN N) is a server of nginx's upstream. */
    boolean routed(int index) {
        return upstream().contains("server 127.0.0.1:" + (18150 + PORT_OFFSET + index) + ";");
    }

    /** The PID the quickstart recorded for {@code name} (kafka, webhook-service, agent-cm1, ...). */
    String pid(String name) {
        return readState("pids/" + name + ".pid").trim();
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
