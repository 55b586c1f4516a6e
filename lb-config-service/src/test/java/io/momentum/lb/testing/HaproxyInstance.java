package io.momentum.lb.testing;

import io.momentum.lb.backend.haproxy.HaproxySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in master-worker mode: {@code haproxy.cfg} (global, defaults, the frontend) plus the generated
 * {@code momentum.cfg} holding the backend, a master CLI and an admin stats socket.
 */
public final class HaproxyInstance implements AutoCloseable {

    public static final String BACKEND = "puppet";

    private final Path dir;
    private final int port;
    private Process process;

    public HaproxyInstance(Path dir) throws IOException {
        this.dir = dir;
        this.port = NginxInstance.freePort();
        Files.createDirectories(dir);
        Files.writeString(mainConfig(), """
                global
                    stats socket %s level admin expose-fd listeners
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                frontend puppet_in
                    bind 127.0.0.1:%d
                    default_backend %s
                """.formatted(adminSocket(), port, BACKEND));
    }

    public Path mainConfig() {
        return dir.resolve("haproxy.cfg");
    }

    public Path configFile() {
        return dir.resolve("momentum.cfg");
    }

    public Path masterSocket() {
        return dir.resolve("master.sock");
    }

    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    public int port() {
        return port;
    }

    public HaproxySettings settings() {
        return settings(List.of());
    }

    public HaproxySettings settings(List<String> reloadCommand) {
        return new HaproxySettings(Binaries.find("haproxy").orElseThrow(), configFile(), List.of(mainConfig()),
                Optional.of(masterSocket()), Optional.of(adminSocket()), BACKEND, reloadCommand,
                Duration.ofSeconds(10));
    }

    /**
     * What {@code systemctl reload haproxy} runs on Debian (its two ExecReload lines): check every -f file, then
     * USR2 to the master, which starts new workers on the files.
     */
    public List<String> debianExecReload() {
        return List.of("sh", "-c", "\"$0\" -c -q -f \"$1\" -f \"$2\" && kill -USR2 \"$3\"",
                Binaries.find("haproxy").orElseThrow(), mainConfig().toString(), configFile().toString(),
                String.valueOf(process.pid()));
    }

    /** Starts HAProxy as a child process (killed by {@link #close()}); the generated file must exist. */
    public void start() throws IOException {
        process = new ProcessBuilder(Binaries.find("haproxy").orElseThrow(), "-W", "-S",
                masterSocket() + ",level,admin", "-f", mainConfig().toString(), "-f", configFile().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    }

    /** The master CLI's {@code show proc}. */
    public String showProc() throws IOException {
        return send(masterSocket(), "show proc");
    }

    public String admin(String command) throws IOException {
        return send(adminSocket(), command);
    }

    /** The pids of the current workers, as the master lists them. */
    public List<String> workerPids() throws IOException {
        return showProc().lines().map(String::trim).filter(line -> line.matches("\\d+\\s+worker\\s+0\\s.*"))
                .map(line -> line.split("\\s+")[0]).toList();
    }

    private static String send(Path socket, String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                response.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return response.toString(StandardCharsets.UTF_8);
        }
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
}
