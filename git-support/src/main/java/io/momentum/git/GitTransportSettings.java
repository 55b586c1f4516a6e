package io.momentum.git;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What holds for every remote: how SSH servers are checked, which CA signs the HTTPS git hosts, and the proxy.
 *
 * @param knownHosts the known_hosts file SSH host keys are checked against
 * @param strictHostKeyChecking false accepts (and records) unknown host keys: an explicit, logged opt-out
 * @param agentSocket the ssh-agent to ask for keys, if any
 * @param sshHandshakeTimeout how long an SSH host may take to exchange keys and authenticate
 */
public record GitTransportSettings(Path knownHosts, boolean strictHostKeyChecking, Optional<Path> agentSocket,
        Optional<Path> sslCaFile, Optional<String> proxy, List<String> noProxy, Duration sshHandshakeTimeout) {

    public static final Duration DEFAULT_SSH_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    public GitTransportSettings {
        noProxy = List.copyOf(noProxy);
        if (sshHandshakeTimeout.isNegative() || sshHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("momentum.git.ssh-handshake-timeout must be positive");
        }
    }

    public GitTransportSettings(Path knownHosts, boolean strictHostKeyChecking, Optional<Path> agentSocket,
            Optional<Path> sslCaFile, Optional<String> proxy, List<String> noProxy) {
        this(knownHosts, strictHostKeyChecking, agentSocket, sslCaFile, proxy, noProxy,
                DEFAULT_SSH_HANDSHAKE_TIMEOUT);
    }

    public static GitTransportSettings of(GitConfig config) {
        Path knownHosts = config.knownHosts()
                .orElse(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        Optional<Path> agent = config.sshAgentSocket().or(() -> Optional.ofNullable(System.getenv("SSH_AUTH_SOCK"))
                .filter(socket -> !socket.isBlank()).map(Path::of));
        return new GitTransportSettings(knownHosts, config.strictHostKeyChecking(), agent, config.sslCaFile(),
                config.proxy().or(GitTransportSettings::proxyFromEnvironment),
                config.noProxy().orElseGet(GitTransportSettings::noProxyFromEnvironment),
                config.sshHandshakeTimeout());
    }

    private static Optional<String> proxyFromEnvironment() {
        for (String name : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    private static List<String> noProxyFromEnvironment() {
        String value = System.getenv("no_proxy") != null ? System.getenv("no_proxy") : System.getenv("NO_PROXY");
        return value == null || value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"));
    }
}
