package io.momentum.git;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a service reaches git remotes over SSH and HTTPS: the same keys in every service, named after r10k.yaml's
 * {@code git:} settings where it has a word ({@code private_key}, {@code username}, {@code proxy},
 * {@code oauth_token}, {@code repositories}). Secrets are files, read when used, never values in configuration.
 */
@ConfigMapping(prefix = "momentum.git")
public interface GitConfig {

    /** SSH private key for every remote (r10k {@code git.private_key}); without one, ssh-agent or ~/.ssh. */
    Optional<Path> privateKey();

    /** File holding the private key's passphrase. */
    Optional<Path> privateKeyPassphraseFile();

    /** SSH user when the remote URL names none (r10k {@code git.username}). */
    Optional<String> username();

    /** known_hosts to check SSH servers against; default ~/.ssh/known_hosts of the service's user. */
    Optional<Path> knownHosts();

    /**
     * Refuse SSH servers whose host key is not in known_hosts. Turning it off is logged loudly at start-up: it
     * lets anyone in the path impersonate the git host.
     */
    @WithDefault("true")
    boolean strictHostKeyChecking();

    /** The ssh-agent socket to ask for keys; default {@code $SSH_AUTH_SOCK}. */
    Optional<Path> sshAgentSocket();

    /** HTTPS user name; with {@link #oauthToken()} and no user name, {@code x-access-token}. */
    Optional<String> httpsUsername();

    /** File holding the HTTPS password. */
    Optional<Path> httpsPasswordFile();

    /** File holding an HTTPS access token (r10k {@code git.oauth_token}), used as the password. */
    Optional<Path> oauthToken();

    /** PEM file of the CA that signed the git hosts' HTTPS certificates, when not a public one. */
    Optional<Path> sslCaFile();

    /** Proxy for git traffic, e.g. {@code http://proxy.example.net:3128} (r10k {@code git.proxy}). */
    Optional<String> proxy();

    /**
     * How long an SSH git host may take to exchange keys and authenticate (JVM-wide). Once a command runs, each
     * wait for the host is bounded by that command's own timeout (the agent's {@code momentum.deploy.command-timeout});
     * without this, a host that accepts the connection and never answers holds a fetch for sshd's 2 minutes.
     */
    @WithDefault("PT30S")
    Duration sshHandshakeTimeout();

    /** Hosts reached without the proxy, comma-separated; loopback always is. */
    Optional<List<String>> noProxy();

    /** Settings for remotes that start with {@code remote} (r10k {@code git.repositories}); the longest wins. */
    List<Repository> repositories();

    interface Repository {

        /** The remote URL, or its start (a host or an organisation: {@code git@git.example.net:modules/}). */
        String remote();

        Optional<Path> privateKey();

        Optional<Path> privateKeyPassphraseFile();

        Optional<String> username();

        Optional<String> httpsUsername();

        Optional<Path> httpsPasswordFile();

        Optional<Path> oauthToken();
    }
}
