package io.momentum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (Debian's {@code openssh-server}) serving git repositories over SSH on a free loopback port,
 * started as a child process with its own host key and {@code authorized_keys}; no system service is touched. Log
 * in as the user running the tests; repositories are reached by absolute path:
 * {@code ssh://<user>@127.0.0.1:<port>/abs/path/repo.git}. Client keys are made with {@link #newClientKey}.
 */
public final class GitSshServer implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    private final Path dir;
    private final int port;
    private final Process process;

    private GitSshServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Whether OpenSSH's server and ssh-keygen are installed. */
    public static boolean installed() {
        return Files.isExecutable(SSHD) && Files.isExecutable(SSH_KEYGEN);
    }

    /** Starts sshd under {@code dir}, trusting the given public keys; returns once it accepts connections. */
    public static GitSshServer start(Path dir, List<Path> authorizedPublicKeys) {
        try {
            Files.createDirectories(dir);
            Path hostKey = dir.resolve("ssh_host_ed25519_key");
            keygen(hostKey, "");
            StringBuilder authorized = new StringBuilder();
            for (Path key : authorizedPublicKeys) {
                authorized.append(Files.readString(key).strip()).append('\n');
            }
            Path authorizedKeys = dir.resolve("authorized_keys");
            Files.writeString(authorizedKeys, authorized);
            int port = KafkaBroker.freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "ListenAddress 127.0.0.1:" + port,
                    "HostKey " + hostKey,
                    "AuthorizedKeysFile " + authorizedKeys,
                    "PidFile none",
                    "UsePAM no",
                    // the temporary directory's owner and modes are not sshd's business in a test
                    "StrictModes no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "AllowTcpForwarding no",
                    "X11Forwarding no",
                    "LogLevel VERBOSE",
                    ""));
            // sshd insists on its privilege-separation directory when it runs as root.
            if ("root".equals(System.getProperty("user.name"))) {
                Files.createDirectories(Path.of("/run/sshd"));
            }
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            GitSshServer server = new GitSshServer(dir, port, process);
            server.awaitListening(Duration.ofSeconds(15));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a new ed25519 key pair ({@code name} and {@code name.pub}) in OpenSSH format.
     *
     * @param passphrase empty for none
     * @return the private key file
     */
    public static Path newClientKey(Path dir, String name, String passphrase) {
        try {
            Files.createDirectories(dir);
            Path key = dir.resolve(name);
            keygen(key, passphrase);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The user the server lets in (the one running the tests). */
    public String user() {
        return System.getProperty("user.name");
    }

    /** The clone URL of a repository on this machine. */
    public String url(Path repository) {
        return "ssh://" + user() + "@127.0.0.1:" + port + repository.toAbsolutePath();
    }

    /** The line a client's known_hosts needs to trust this server: {@code [127.0.0.1]:<port> ssh-ed25519 ...}. */
    public String knownHostsLine() {
        try {
            String[] publicKey = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip().split(" ");
            return "[127.0.0.1]:" + port + " " + publicKey[0] + " " + publicKey[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitListening(Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("sshd did not listen on " + port + " within " + within + ":\n" + log());
    }

    private static void keygen(Path key, String passphrase) throws IOException {
        Files.deleteIfExists(key);
        Files.deleteIfExists(Path.of(key + ".pub"));
        Process process = new ProcessBuilder(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", passphrase,
                "-C", "momentum-test", "-f", key.toString()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("ssh-keygen failed: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
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
