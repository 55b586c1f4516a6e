package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Bitbucket Cloud, "Create a build status for a commit":
 * {@code POST /2.0/repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build}, states
 * {@code INPROGRESS|SUCCESSFUL|FAILED|STOPPED}; the status is identified by {@code key} (a later one with the same
 * key overwrites it). A repository, project or workspace access token (Bearer) with the Repositories: Write scope,
 * or a user name with an API token / app password (Basic).
 */
@ApplicationScoped
@Identifier("bitbucket")
public class BitbucketCloudHost implements CommitStatusHost {

    @Override
    public Optional<String> defaultApiUrl() {
        return Optional.of("https://api.bitbucket.org");
    }

    @Override
    public HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl) {
        String state = switch (update.state()) {
            case PENDING -> "INPROGRESS";
            case SUCCESS -> "SUCCESSFUL";
            case FAILURE -> "FAILED";
            case CANCELED -> "STOPPED";
        };
        return new HostCall(
                URI.create(endpoint.apiUrl() + "/2.0/repositories/" + HostCall.encodePath(endpoint.repositoryPath())
                        + "/commit/" + update.commit() + "/statuses/build"),
                Map.of("Authorization", HostCall.bearerOrBasic(endpoint)),
                Map.of("key", update.context(), "state", state, "name", update.context(), "url", targetUrl,
                        "description", update.description()));
    }
}
