package io.momentum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git smart-HTTP server behind HTTPS and basic auth: Debian's nginx in front of {@code fcgiwrap} running
 * {@code git http-backend}, both child processes on loopback under a temporary directory, with a self-signed
 * certificate for 127.0.0.1 ({@link #certificate()} is what a client must trust). Serves every repository below
 * {@code root}: {@code https://127.0.0.1:<port>/<path below root>}.
 */
public final class GitHttpsServer implements AutoCloseable {

    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path FCGIWRAP = Path.of("/usr/sbin/fcgiwrap");
    public static final Path HTTP_BACKEND = Path.of("/usr/lib/git-core/git-http-backend");

    private final Path dir;
    private final int port;
    private final Process fcgiwrap;
    private final Process nginx;

    private GitHttpsServer(Path dir, int port, Process fcgiwrap, Process nginx) {
        this.dir = dir;
        this.port = port;
        this.fcgiwrap = fcgiwrap;
        this.nginx = nginx;
    }

    /** Whether nginx, fcgiwrap and git's http-backend are installed. */
    public static boolean installed() {
        return Files.isExecutable(NGINX) && Files.isExecutable(FCGIWRAP) && Files.isExecutable(HTTP_BACKEND);
    }

    /** Starts the server; only {@code user} with {@code password} gets in. */
    public static GitHttpsServer start(Path dir, Path root, String user, String password) {
        try {
            Files.createDirectories(dir.resolve("temp"));
            run(dir, null, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
            String hash = run(dir, password + "\n", "openssl", "passwd", "-apr1", "-stdin").strip();
            Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
            Path socket = dir.resolve("fcgiwrap.sock");
            Process fcgiwrap = new ProcessBuilder(FCGIWRAP.toString(), "-c", "4", "-s", "unix:" + socket)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("fcgiwrap.log").toFile()).start();
            int port = KafkaBroker.freePort();
            Files.writeString(dir.resolve("nginx.conf"), config(dir, root, socket, port));
            Process nginx = new ProcessBuilder(NGINX.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf")
                    .toString(), "-e", dir.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            GitHttpsServer server = new GitHttpsServer(dir, port, fcgiwrap, nginx);
            server.awaitReady(socket, Duration.ofSeconds(15));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config(Path dir, Path root, Path socket, int port) {
        return String.join("\n",
                "daemon off;",
                // one process as the invoking user: the workers need no access rights of their own
                "master_process off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "events { worker_connections 64; }",
                "http {",
                "  access_log " + dir.resolve("access.log") + ";",
                "  client_body_temp_path " + dir.resolve("temp/body") + ";",
                "  fastcgi_temp_path " + dir.resolve("temp/fastcgi") + ";",
                "  proxy_temp_path " + dir.resolve("temp/proxy") + ";",
                "  uwsgi_temp_path " + dir.resolve("temp/uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("temp/scgi") + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + " ssl;",
                "    ssl_certificate " + dir.resolve("cert.pem") + ";",
                "    ssl_certificate_key " + dir.resolve("key.pem") + ";",
                "    auth_basic \"git\";",
                "    auth_basic_user_file " + dir.resolve("htpasswd") + ";",
                "    client_max_body_size 0;",
                "    location / {",
                "      include /etc/nginx/fastcgi_params;",
                "      fastcgi_param SCRIPT_FILENAME " + HTTP_BACKEND + ";",
                "      fastcgi_param GIT_PROJECT_ROOT " + root.toAbsolutePath() + ";",
                "      fastcgi_param GIT_HTTP_EXPORT_ALL \"\";",
                "      fastcgi_param REMOTE_USER $remote_user;",
                "      fastcgi_param PATH_INFO $uri;",
                "      fastcgi_pass unix:" + socket + ";",
                "    }",
                "  }",
                "}",
                "");
    }

    public int port() {
        return port;
    }

    /** The clone URL of a repository below the served root, e.g. {@code url("control.git")}. */
    public String url(String pathBelowRoot) {
        return "https://127.0.0.1:" + port + "/" + pathBelowRoot;
    }

    /** The server's self-signed certificate (PEM), the one thing a client must trust. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("error.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitReady(Path socket, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (!nginx.isAlive() || !fcgiwrap.isAlive()) {
                close();
                throw new IllegalStateException("the git HTTPS server did not start:\n" + log());
            }
            if (Files.exists(socket)) {
                try (Socket connection = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    // not listening yet
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the git HTTPS server did not listen within " + within + ":\n" + log());
    }

    private static String run(Path dir, String input, String... command) throws IOException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(command[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }

    @Override
    public void close() {
        for (Process process : List.of(nginx, fcgiwrap)) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
