package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Gitea and Forgejo, "Create a commit status": {@code POST /api/v1/repos/{owner}/{repo}/statuses/{sha}}, states
 * {@code pending|success|error|failure|warning}; {@code Authorization: token ...} (an access token with the
 * {@code write:repository} scope). No default API URL: every instance is self-hosted or its own SaaS.
 */
@ApplicationScoped
@Identifier("gitea")
public class GiteaHost implements CommitStatusHost {

    @Override
    public Optional<String> defaultApiUrl() {
        return Optional.empty();
    }

    @Override
    public HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl) {
        String state = switch (update.state()) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            case CANCELED -> "warning";
        };
        return new HostCall(
                URI.create(endpoint.apiUrl() + "/api/v1/repos/" + HostCall.encodePath(endpoint.repositoryPath())
                        + "/statuses/" + update.commit()),
                Map.of("Authorization", "token " + endpoint.token()),
                Map.of("state", state, "target_url", targetUrl, "description", update.description(),
                        "context", update.context()));
    }
}
