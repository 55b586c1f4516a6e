package io.momentum.notifier.commitstatus.messaging;

import io.momentum.notifier.commitstatus.host.RecordingGitHost;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A local GitHub API for the notifier, with a token file, configured as the {@code github} commit-status host. */
public class GitHostResource implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "flow-test-token";

    private RecordingGitHost host;
    private Path tokenFile;

    @Override
    public Map<String, String> start() {
        try {
            host = new RecordingGitHost();
            tokenFile = Files.createTempFile("github-status-token", "");
            Files.writeString(tokenFile, TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "momentum.commit-status.providers.github.api-url", host.url(),
                "momentum.commit-status.providers.github.token-file", tokenFile.toString(),
                "momentum.commit-status.target-url", "https://momentum.example.net/api/v1/deploys/{requestId}");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(host, new TestInjector.MatchesType(RecordingGitHost.class));
    }

    @Override
    public void stop() {
        if (host != null) {
            host.close();
        }
        try {
            if (tokenFile != null) {
                Files.deleteIfExists(tokenFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
