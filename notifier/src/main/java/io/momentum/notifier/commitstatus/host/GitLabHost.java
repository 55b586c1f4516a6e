package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab, "Set the pipeline status of a commit": {@code POST /api/v4/projects/{url-encoded path}/statuses/{sha}},
 * states {@code pending|running|success|failed|canceled}, the status named by {@code name}; token in
 * {@code PRIVATE-TOKEN} (personal, group or project access token with the {@code api} scope, role Developer).
 */
@ApplicationScoped
@Identifier("gitlab")
public class GitLabHost implements CommitStatusHost {

    @Override
    public Optional<String> defaultApiUrl() {
        return Optional.of("https://gitlab.com");
    }

    @Override
    public HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl) {
        String state = switch (update.state()) {
            // The deploy is under way once requested: GitLab shows "running" for that.
            case PENDING -> "running";
            case SUCCESS -> "success";
            case FAILURE -> "failed";
            case CANCELED -> "canceled";
        };
        String project = URLEncoder.encode(endpoint.repositoryPath(), StandardCharsets.UTF_8);
        return new HostCall(
                URI.create(endpoint.apiUrl() + "/api/v4/projects/" + project + "/statuses/" + update.commit()),
                Map.of("PRIVATE-TOKEN", endpoint.token()),
                Map.of("state", state, "name", update.context(), "target_url", targetUrl,
                        "description", update.description()));
    }
}
