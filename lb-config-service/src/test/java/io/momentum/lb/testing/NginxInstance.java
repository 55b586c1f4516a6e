package io.momentum.lb.testing;

import io.momentum.lb.backend.nginx.NginxSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real, unprivileged nginx under a temporary prefix: {@code conf/nginx.conf} includes the generated
 * {@code conf/momentum/puppet.conf} inside its stream block, the way an operator's nginx.conf does.
 */
public final class NginxInstance implements AutoCloseable {

    private final Path prefix;
    private final int port;
    private Process process;

    public NginxInstance(Path prefix) throws IOException {
        this.prefix = prefix;
        this.port = freePort();
        Files.createDirectories(prefix.resolve("conf/momentum"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(mainConfig(), """
                load_module %s;
                worker_processes 1;
                pid %s;
                error_log %s warn;
                events { worker_connections 512; }
                stream {
                    include momentum/puppet.conf;
                }
                """.formatted(Binaries.NGINX_STREAM_MODULE, prefix.resolve("logs/nginx.pid"),
                prefix.resolve("logs/error.log")));
    }

    public Path mainConfig() {
        return prefix.resolve("conf/nginx.conf");
    }

    public Path outputFile() {
        return prefix.resolve("conf/momentum/puppet.conf");
    }

    public int port() {
        return port;
    }

    public NginxSettings settings(List<String> reloadCommand) {
        return settings(reloadCommand, "candidate");
    }

    /** {@code validation}: candidate ({@code nginx -t} before the swap) or reload (the reload validates). */
    public NginxSettings settings(List<String> reloadCommand, String validation) {
        return new NginxSettings(Binaries.find("nginx").orElseThrow(), Optional.of(prefix), mainConfig(),
                outputFile(), Optional.of(prefix.resolve("logs/error.log")), reloadCommand, validation,
                "127.0.0.1:" + port, "puppet", Duration.ofSeconds(2));
    }

    /**
     * Writes a placeholder include (nginx needs a server to start) and returns the {@code momentum.lb.nginx.*} keys
     * that point lb-config-service at this nginx.
     */
    public Map<String, String> serviceConfig() throws IOException {
        Files.writeString(outputFile(), """
                upstream placeholder { server 127.0.0.1:9; }
                server { listen 127.0.0.1:%d; proxy_pass placeholder; }
                """.formatted(port));
        NginxSettings settings = settings(List.of());
        Map<String, String> config = new HashMap<>();
        config.put("momentum.lb.nginx.binary", settings.binary());
        config.put("momentum.lb.nginx.prefix", prefix.toString());
        config.put("momentum.lb.nginx.main-config", mainConfig().toString());
        config.put("momentum.lb.nginx.output-file", outputFile().toString());
        config.put("momentum.lb.nginx.error-log", settings.errorLog().orElseThrow().toString());
        config.put("momentum.lb.nginx.listen", settings.listen());
        config.put("momentum.lb.nginx.upstream", settings.upstream());
        config.put("momentum.lb.nginx.connect-timeout", settings.connectTimeout().toString());
        return config;
    }

    /** Starts nginx in the foreground of a child process (killed by {@link #close()}); the output file must exist. */
    public void start() throws IOException {
        process = new ProcessBuilder(settings(List.of()).command("-g", "daemon off;"))
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
