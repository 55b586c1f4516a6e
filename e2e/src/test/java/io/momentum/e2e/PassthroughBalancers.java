package io.momentum.e2e;

import io.momentum.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real unprivileged nginx (stream module, TCP passthrough) and a real HAProxy (master-worker, TCP mode), each a
 * child process with its main configuration in a temporary directory that loads the file lb-config-service
 * generates, the way an operator's configuration does (see deploy/quickstart.sh and lb-config-service's tests).
 */
final class PassthroughBalancers implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path NGINX_STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    static final String BACKEND = "puppet_masters";

    final int nginxPort = KafkaBroker.freePort();
    final int haproxyPort = KafkaBroker.freePort();
    private final Path nginxDir;
    private final Path haproxyDir;
    private Process nginx;
    private Process haproxy;

    static boolean installed() {
        return Files.isExecutable(NGINX) && Files.isRegularFile(NGINX_STREAM_MODULE) && Files.isExecutable(HAPROXY);
    }

    PassthroughBalancers(Path dir) {
        this.nginxDir = dir.resolve("nginx");
        this.haproxyDir = dir.resolve("haproxy");
        try {
            Files.createDirectories(nginxDir.resolve("logs"));
            Files.createDirectories(haproxyDir);
            Files.writeString(nginxDir.resolve("nginx.conf"), """
                    load_module %s;
                    worker_processes 1;
                    pid %s;
                    error_log %s warn;
                    events { worker_connections 256; }
                    stream {
                        include %s;
                    }
                    """.formatted(NGINX_STREAM_MODULE, nginxDir.resolve("logs/nginx.pid"), nginxError(),
                    nginxInclude()));
            // Nothing listens until lb-config-service writes the upstream and its server block.
            Files.writeString(nginxInclude(), "");
            Files.writeString(haproxyDir.resolve("haproxy.cfg"), """
                    global
                        stats socket %s level admin expose-fd listeners
                    defaults
                        mode tcp
                        timeout connect 2s
                        timeout client 120s
                        timeout server 120s
                    frontend puppet_in
                        bind 127.0.0.1:%d
                        default_backend %s
                    """.formatted(haproxyDir.resolve("admin.sock"), haproxyPort, BACKEND));
            // HAProxy needs the backend to start; lb-config-service replaces this file with the fleet's.
            Files.writeString(haproxyFile(), "backend " + BACKEND + "\n    mode tcp\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path nginxInclude() {
        return nginxDir.resolve("momentum-upstream.conf");
    }

    Path haproxyFile() {
        return haproxyDir.resolve("momentum.cfg");
    }

    private Path nginxError() {
        return nginxDir.resolve("logs/error.log");
    }

    void start() throws IOException {
        nginx = new ProcessBuilder(NGINX.toString(), "-p", nginxDir + "/", "-c", nginxDir.resolve("nginx.conf")
                .toString(), "-e", nginxError().toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("logs/stdout.log").toFile()).start();
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-W", "-S", haproxyDir.resolve("master.sock") + ",level,admin",
                "-f", haproxyDir.resolve("haproxy.cfg").toString(), "-f", haproxyFile().toString())
                .redirectErrorStream(true).redirectOutput(haproxyDir.resolve("haproxy.log").toFile()).start();
    }

    /** The {@code momentum.lb.*} keys that make lb-config-service drive both. */
    Map<String, String> lbConfig() {
        Map<String, String> config = new TreeMap<>();
        config.put("momentum.lb.backends", "nginx,haproxy");
        config.put("momentum.lb.nginx.binary", NGINX.toString());
        config.put("momentum.lb.nginx.prefix", nginxDir + "/");
        config.put("momentum.lb.nginx.main-config", nginxDir.resolve("nginx.conf").toString());
        config.put("momentum.lb.nginx.output-file", nginxInclude().toString());
        config.put("momentum.lb.nginx.error-log", nginxError().toString());
        config.put("momentum.lb.nginx.listen", "127.0.0.1:" + nginxPort);
        config.put("momentum.lb.nginx.upstream", BACKEND);
        config.put("momentum.lb.nginx.connect-timeout", "2s");
        config.put("momentum.lb.haproxy.binary", HAPROXY.toString());
        config.put("momentum.lb.haproxy.config-file", haproxyFile().toString());
        config.put("momentum.lb.haproxy.base-configs", haproxyDir.resolve("haproxy.cfg").toString());
        config.put("momentum.lb.haproxy.master-socket", haproxyDir.resolve("master.sock").toString());
        config.put("momentum.lb.haproxy.admin-socket", haproxyDir.resolve("admin.sock").toString());
        config.put("momentum.lb.haproxy.backend-name", BACKEND);
        return config;
    }

    /** Whether nginx's upstream routes to {@code address} (an active {@code server} line, not a comment). */
    boolean nginxRoutes(String address) {
        return read(nginxInclude()).lines().map(String::strip).anyMatch(line -> line.startsWith("server " + address + ";"));
    }

    /** Whether HAProxy's backend routes to {@code address} (a server line neither disabled nor weight 0). */
    boolean haproxyRoutes(String address) {
        return read(haproxyFile()).lines().map(String::strip).anyMatch(line -> line.startsWith("server ")
                && List.of(line.split("\\s+")).contains(address) && !line.contains(" disabled")
                && !line.contains(" weight 0"));
    }

    String describe() {
        return "nginx include:\n" + read(nginxInclude()) + "\nHAProxy file:\n" + read(haproxyFile());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (Process process : new Process[] {nginx, haproxy}) {
            if (process == null) {
                continue;
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
