package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.config.CommitStatusConfig;
import io.momentum.notifier.commitstatus.config.CommitStatusConfig.ProviderConfig;
import io.momentum.notifier.commitstatus.config.CommitStatusConfig.RepositoryConfig;
import io.momentum.notifier.commitstatus.domain.RepositoryPaths;
import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.momentum.shared.event.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a status into the call that posts it: the provider's host and API URL, the repository's API path (its
 * {@code repositories} entry, else read from the URL) and token (the repository's token file, else the
 * provider's). Token files are read at every call and their content goes nowhere but the call's header.
 */
public final class HostTargets {

    private final Map<Provider, CommitStatusHost> hosts;
    private final CommitStatusConfig config;
    private final String targetUrl;

    /**
     * @param hosts the host of every configured provider
     * @throws IllegalStateException when a provider has no API URL and its host has no default
     */
    public HostTargets(Map<Provider, CommitStatusHost> hosts, CommitStatusConfig config, String targetUrl) {
        this.hosts = Map.copyOf(hosts);
        this.config = config;
        this.targetUrl = targetUrl;
        hosts.forEach((provider, host) -> apiUrl(provider));
    }

    public boolean handles(Provider provider) {
        return hosts.containsKey(provider);
    }

    /**
     * @throws CannotPostException when the repository has no usable path or token (nothing to retry)
     */
    public HostCall call(StatusUpdate update) {
        Provider provider = update.provider();
        CommitStatusHost host = hosts.get(provider);
        if (host == null) {
            throw new CannotPostException("no commit-status host is configured for " + provider.id());
        }
        ProviderConfig providerConfig = config.providers().get(provider.id());
        Optional<RepositoryConfig> repository = repository(update);
        String path = repository.flatMap(RepositoryConfig::path)
                .or(() -> RepositoryPaths.of(provider, update.repositoryUrl()))
                .orElseThrow(() -> new CannotPostException("no " + provider.id() + " repository path in "
                        + update.repositoryUrl() + "; set momentum.commit-status.repositories.<name>.path"));
        Path tokenFile = repository.flatMap(RepositoryConfig::tokenFile).or(providerConfig::tokenFile)
                .orElseThrow(() -> new CannotPostException("no token file for " + provider.id() + " repository "
                        + path));
        String username = repository.flatMap(RepositoryConfig::username).or(providerConfig::username).orElse(null);
        HostEndpoint endpoint = new HostEndpoint(apiUrl(provider), path, token(tokenFile), username);
        return host.call(endpoint, update, targetUrl(update));
    }

    private String apiUrl(Provider provider) {
        return config.providers().get(provider.id()).apiUrl().or(() -> hosts.get(provider).defaultApiUrl())
                .map(url -> url.replaceAll("/+$", ""))
                .orElseThrow(() -> new IllegalStateException("momentum.commit-status.providers." + provider.id()
                        + ".api-url is required (there is no public " + provider.id() + " to default to)"));
    }

    private Optional<RepositoryConfig> repository(StatusUpdate update) {
        String url = update.repositoryUrl().trim();
        Optional<RepositoryConfig> byUrl = config.repositories().values().stream()
                .filter(repository -> repository.url().map(String::trim).filter(url::equals).isPresent())
                .findFirst();
        return byUrl.or(() -> RepositoryPaths.of(update.provider(), url).map(config.repositories()::get));
    }

    private String targetUrl(StatusUpdate update) {
        return targetUrl.replace("{requestId}", update.requestId().toString())
                .replace("{environment}", update.environment());
    }

    private static String token(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new CannotPostException("token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CannotPostException("cannot read token file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** A status that cannot be posted as configured: given up at once, never retried. */
    public static final class CannotPostException extends RuntimeException {

        CannotPostException(String message) {
            super(message);
        }
    }
}
