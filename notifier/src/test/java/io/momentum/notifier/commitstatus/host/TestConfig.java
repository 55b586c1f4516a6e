package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.config.CommitStatusConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link CommitStatusConfig} built in code, for tests without Quarkus. */
final class TestConfig implements CommitStatusConfig {

    record Provider(Optional<String> apiUrl, Optional<Path> tokenFile, Optional<String> username)
            implements ProviderConfig {
    }

    record Repository(Optional<String> url, Optional<String> path, Optional<Path> tokenFile,
            Optional<String> username) implements RepositoryConfig {
    }

    private final Map<String, ProviderConfig> providers = new HashMap<>();
    private final Map<String, RepositoryConfig> repositories = new HashMap<>();

    TestConfig provider(String id, String apiUrl, Path tokenFile, String username) {
        providers.put(id, new Provider(Optional.ofNullable(apiUrl), Optional.ofNullable(tokenFile),
                Optional.ofNullable(username)));
        return this;
    }

    TestConfig repository(String name, String url, String path, Path tokenFile) {
        repositories.put(name, new Repository(Optional.ofNullable(url), Optional.ofNullable(path),
                Optional.ofNullable(tokenFile), Optional.empty()));
        return this;
    }

    @Override
    public Map<String, ProviderConfig> providers() {
        return providers;
    }

    @Override
    public Map<String, RepositoryConfig> repositories() {
        return repositories;
    }

    @Override
    public String mode() {
        return "per-master";
    }

    @Override
    public Optional<String> targetUrl() {
        return Optional.empty();
    }
}
