package io.momentum.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Gives every JGit command or transport what reaching its remote takes: over SSH a session factory with the
 * remote's key (or ssh-agent), the known_hosts to check the server against, strict checking unless turned off,
 * and batch mode (nothing ever prompts); over HTTPS the user and the secret read from its file at that moment.
 * Neither secrets nor key material appear in a command line, a log or an exception message; only file paths do.
 */
public final class GitAccess implements AutoCloseable {

    private final GitTransportSettings settings;
    private final Function<String, GitCredentials> credentials;
    private final Path workDir;
    private final Map<GitCredentials, SshdSessionFactory> sshFactories = new ConcurrentHashMap<>();

    /**
     * @param credentials what each remote needs, by its URL
     * @param workDir where the generated SSH client configurations go (one per distinct identity)
     */
    public GitAccess(GitTransportSettings settings, Function<String, GitCredentials> credentials, Path workDir) {
        this.settings = settings;
        this.credentials = credentials;
        this.workDir = workDir;
    }

    /** Apache MINA sshd reads its defaults from system properties under this prefix (SyspropsMapWrapper). */
    static final String SSHD_AUTH_TIMEOUT = "org.apache.sshd.config.auth-timeout";

    /**
     * Installs what is JVM-wide in JGit, sshd and the JDK: the git hosts' CA for HTTPS, the proxy, and how long an
     * SSH host may take to exchange keys and authenticate (JGit bounds that wait by sshd's auth timeout only, not
     * by the command's timeout). Call once at start-up.
     */
    public static void installGlobal(GitTransportSettings settings) {
        System.setProperty(SSHD_AUTH_TIMEOUT, Long.toString(settings.sshHandshakeTimeout().toMillis()));
        if (settings.sslCaFile().isPresent()) {
            try {
                HttpTransport.setConnectionFactory(new CaTrustingConnectionFactory(settings.sslCaFile().get()));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("momentum.git.ssl-ca-file " + settings.sslCaFile().get()
                        + " cannot be used: " + e.getMessage(), e);
            }
        }
        settings.proxy().ifPresent(proxy -> ProxySelector.setDefault(new GitProxySelector(proxy,
                settings.noProxy())));
    }

    /** Configures a JGit command (clone, fetch, ls-remote) for {@code remote}. */
    public <C extends TransportCommand<C, ?>> C configure(C command, String remote) {
        GitCredentials needed = credentials.apply(remote);
        command.setTransportConfigCallback(callback(needed));
        httpsCredentials(needed).ifPresent(command::setCredentialsProvider);
        return command;
    }

    /** Configures a transport opened by hand ({@code Transport.open}) for {@code remote}. */
    public void configure(Transport transport, String remote) {
        GitCredentials needed = credentials.apply(remote);
        callback(needed).configure(transport);
        httpsCredentials(needed).ifPresent(transport::setCredentialsProvider);
    }

    private TransportConfigCallback callback(GitCredentials needed) {
        return transport -> {
            if (transport instanceof SshTransport ssh) {
                ssh.setSshSessionFactory(sshFactories.computeIfAbsent(needed, this::sshFactory));
            }
        };
    }

    private Optional<CredentialsProvider> httpsCredentials(GitCredentials needed) {
        if (needed.httpsSecretFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = needed.httpsSecretFile().get();
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the git HTTPS secret file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        return Optional.of(new UsernamePasswordCredentialsProvider(needed.httpsUser().orElse(
                GitCredentials.TOKEN_USER), secret));
    }

    private SshdSessionFactory sshFactory(GitCredentials needed) {
        Path config = workDir.resolve("ssh-config-" + Integer.toHexString(needed.hashCode()));
        try {
            Files.createDirectories(workDir);
            Files.writeString(config, sshConfig(needed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SSH client configuration " + config, e);
        }
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(Path.of(System.getProperty("user.home")).toFile())
                .setSshDirectory(workDir.toFile())
                .setConfigFile(sshDir -> config.toFile())
                .setDefaultKnownHostsFiles(sshDir -> List.of(settings.knownHosts()))
                .setDefaultIdentities(sshDir -> needed.privateKey().map(List::of).orElse(List.of()))
                .setKeyPasswordProvider(unused -> new FilePassphrase(needed.passphraseFile().orElse(null)))
                .setPreferredAuthentications("publickey")
                .setConnectorFactory(new UnixSocketAgentFactory())
                .build(null);
    }

    /** An ssh_config for every host: the one key (or the agent), the known_hosts, strict checking, no prompts. */
    String sshConfig(GitCredentials needed) {
        StringBuilder config = new StringBuilder("Host *\n");
        config.append("  BatchMode yes\n");
        config.append("  StrictHostKeyChecking ").append(settings.strictHostKeyChecking() ? "yes" : "no")
                .append('\n');
        config.append("  UserKnownHostsFile ").append(quoted(settings.knownHosts())).append('\n');
        config.append("  GlobalKnownHostsFile none\n");
        needed.privateKey().ifPresent(key -> config.append("  IdentitiesOnly yes\n  IdentityFile ")
                .append(quoted(key)).append('\n'));
        config.append("  IdentityAgent ").append(settings.agentSocket().map(GitAccess::quoted).orElse("none"))
                .append('\n');
        needed.sshUser().ifPresent(user -> config.append("  User ").append(user).append('\n'));
        return config.toString();
    }

    private static String quoted(Path path) {
        return "\"" + path.toAbsolutePath() + "\"";
    }

    @Override
    public void close() {
        sshFactories.values().forEach(SshdSessionFactory::close);
        sshFactories.clear();
    }
}
