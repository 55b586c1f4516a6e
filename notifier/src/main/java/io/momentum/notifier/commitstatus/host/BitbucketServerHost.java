package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Bitbucket Server / Data Center (7.4 and later), build status:
 * {@code POST /rest/api/latest/projects/{projectKey}/repos/{repositorySlug}/commits/{commitId}/builds}, states
 * {@code INPROGRESS|SUCCESSFUL|FAILED|CANCELLED}, identified by {@code key}. An HTTP access token (Bearer) with
 * repository write permission, or a user name and password (Basic).
 */
@ApplicationScoped
@Identifier("bitbucket-server")
public class BitbucketServerHost implements CommitStatusHost {

    @Override
    public Optional<String> defaultApiUrl() {
        return Optional.empty();
    }

    @Override
    public HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl) {
        String state = switch (update.state()) {
            case PENDING -> "INPROGRESS";
            case SUCCESS -> "SUCCESSFUL";
            case FAILURE -> "FAILED";
            case CANCELED -> "CANCELLED";
        };
        String[] projectAndRepo = HostCall.encodePath(endpoint.repositoryPath()).split("/", 2);
        return new HostCall(
                URI.create(endpoint.apiUrl() + "/rest/api/latest/projects/" + projectAndRepo[0] + "/repos/"
                        + projectAndRepo[1] + "/commits/" + update.commit() + "/builds"),
                Map.of("Authorization", HostCall.bearerOrBasic(endpoint)),
                Map.of("key", update.context(), "state", state, "name", update.context(), "url", targetUrl,
                        "description", update.description()));
    }
}
