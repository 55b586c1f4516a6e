package io.momentum.agent.deployer;

import io.momentum.git.GitAccess;
import io.momentum.git.GitConfig;
import io.momentum.git.GitCredentials;
import io.momentum.git.GitTransportSettings;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.URIish;

/**
 * How the agent reaches git remotes ({@code momentum.git.*}): every JGit command goes through
 * {@link GitAccess} (SSH key or ssh-agent, known_hosts, HTTPS token), and a failure is told as the operator needs
 * it: which remote, what went wrong, and which key, known_hosts or token file was used. Only paths appear, never
 * secrets. The r10k and g10k backends read the same settings from here to write their own configuration.
 */
public final class GitRemotes {

    private final GitAccess access;
    private final GitConfig config;
    private final GitTransportSettings transport;

    public GitRemotes(GitAccess access, GitConfig config) {
        this.access = access;
        this.config = config;
        this.transport = GitTransportSettings.of(config);
    }

    /** A JGit command (ls-remote, fetch) set up to reach {@code remote}. */
    public <C extends TransportCommand<C, ?>> C configure(C command, String remote) {
        return access.configure(command, remote);
    }

    /** What reaching {@code remote} takes: the key, the SSH user, the HTTPS user and secret file. */
    public GitCredentials credentials(String remote) {
        return GitCredentials.forRemote(config, remote);
    }

    public GitTransportSettings transport() {
        return transport;
    }

    public GitConfig config() {
        return config;
    }

    /**
     * One sentence for a failed {@code action} ("list branches of", "fetch") on {@code remote}: the cause first
     * when it is one an operator fixes in configuration (authentication, host key), naming the files involved.
     */
    public String failure(String action, String remote, Throwable error) {
        String shown = Urls.redact(remote);
        String messages = allMessages(error);
        String lower = messages.toLowerCase(Locale.ROOT);
        if (lower.contains("server key did not validate") || lower.contains("host key")) {
            String host = hostAndPort(remote);
            Path knownHosts = transport.knownHosts();
            return "host key of " + host + " is not in known_hosts " + knownHosts + " (strict host key checking): "
                    + "check it and add it with ssh-keyscan -H" + portOption(remote) + " " + hostOnly(remote)
                    + " >> " + knownHosts + "; cannot " + action + " " + shown;
        }
        if (lower.contains("cannot log in") || lower.contains("no more authentication methods")
                || lower.contains("auth fail")) {
            return "authentication failed for " + shown + " (" + sshIdentity(remote) + ")";
        }
        if (lower.contains("not authorized") || lower.contains("authentication is required")) {
            return "authentication failed for " + shown + " (" + httpsIdentity(remote) + ")";
        }
        return "cannot " + action + " " + shown + ": " + Urls.redact(firstLine(rootMessage(error)));
    }

    private String sshIdentity(String remote) {
        GitCredentials credentials = credentials(remote);
        if (credentials.privateKey().isPresent()) {
            Path key = credentials.privateKey().get();
            String state = Files.isReadable(key) ? "" : ", missing or unreadable";
            return "key " + key + state + credentials.passphraseFile().map(file -> ", passphrase file " + file)
                    .orElse("");
        }
        Optional<Path> agent = transport.agentSocket().filter(Files::exists);
        return agent.map(socket -> "no key configured, and ssh-agent " + socket + " offered none the server "
                + "accepts").orElse("no key configured: set momentum.git.private-key or a "
                        + "momentum.git.repositories entry for this remote, or load the key into ssh-agent");
    }

    private String httpsIdentity(String remote) {
        GitCredentials credentials = credentials(remote);
        return credentials.httpsSecretFile().map(file -> "user " + credentials.httpsUser()
                .orElse(GitCredentials.TOKEN_USER) + ", secret file " + file)
                .orElse("no HTTPS credentials configured: set momentum.git.oauth-token or "
                        + "momentum.git.https-password-file");
    }

    private static String hostAndPort(String remote) {
        Optional<URIish> uri = parse(remote);
        return uri.map(u -> u.getPort() > 0 ? "[" + u.getHost() + "]:" + u.getPort() : u.getHost()).orElse(remote);
    }

    private static String hostOnly(String remote) {
        return parse(remote).map(URIish::getHost).orElse(remote);
    }

    private static String portOption(String remote) {
        return parse(remote).filter(u -> u.getPort() > 0 && u.getPort() != 22).map(u -> " -p " + u.getPort())
                .orElse("");
    }

    private static Optional<URIish> parse(String remote) {
        try {
            return Optional.of(new URIish(remote)).filter(u -> u.getHost() != null);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String allMessages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
