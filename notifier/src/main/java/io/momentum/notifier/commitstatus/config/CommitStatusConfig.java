package io.momentum.notifier.commitstatus.config;

import io.momentum.notifier.commitstatus.domain.StatusMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Commit statuses on the git hosts: off until at least one provider is configured.
 *
 * <pre>
 * momentum.commit-status.target-url=https://momentum.example.net:8088/api/v1/deploys/{requestId}
 * momentum.commit-status.providers.github.token-file=/etc/momentum/github-status-token
 * momentum.commit-status.repositories.control.url=git@github.com:puppet/control.git
 * momentum.commit-status.repositories.control.token-file=/etc/momentum/control-status-token
 * </pre>
 */
@ConfigMapping(prefix = "momentum.commit-status")
public interface CommitStatusConfig {

    /** Per git host, by the provider id of the requests ({@code github}, {@code gitlab}, {@code gitea}, ...). */
    Map<String, ProviderConfig> providers();

    /** Per repository (any name): a token or an API path of its own. */
    Map<String, RepositoryConfig> repositories();

    /** {@code per-master} (context {@code momentum/<master>}) or {@code aggregate} (context {@code momentum}). */
    @WithDefault("per-master")
    String mode();

    /**
     * The link on every status; {@code {requestId}} and {@code {environment}} are replaced. Required once a provider
     * is configured (Bitbucket refuses a status without one).
     */
    Optional<String> targetUrl();

    default StatusMode statusMode() {
        return switch (mode().trim().toLowerCase(Locale.ROOT)) {
            case "per-master" -> StatusMode.PER_MASTER;
            case "aggregate" -> StatusMode.AGGREGATE;
            default -> throw new IllegalStateException(
                    "momentum.commit-status.mode=" + mode() + " is not a mode; known: aggregate, per-master");
        };
    }

    interface ProviderConfig {

        /**
         * The API's base URL: {@code https://api.github.com}, {@code https://gitlab.com}, {@code https://codeberg.org},
         * {@code https://api.bitbucket.org}, {@code https://bitbucket.example.net}, {@code https://dev.azure.com}
         * (defaults for the SaaS hosts; GitHub Enterprise: {@code https://ghe.example.net/api/v3}).
         */
        Optional<String> apiUrl();

        /** The file holding the token; read at every call, so a rotated token is picked up. */
        Optional<Path> tokenFile();

        /**
         * With a user name the token is sent as HTTP Basic password (Bitbucket Cloud API token or app password,
         * Bitbucket Server user + password); without one as a Bearer token. Azure DevOps always uses Basic.
         */
        Optional<String> username();
    }

    interface RepositoryConfig {

        /** The repository URL as the requests carry it (their {@code repositoryUrl}); the entry's name otherwise. */
        Optional<String> url();

        /** The API path ({@code owner/repo}, ...) when it cannot be read from the URL. */
        Optional<String> path();

        Optional<Path> tokenFile();

        Optional<String> username();
    }
}
