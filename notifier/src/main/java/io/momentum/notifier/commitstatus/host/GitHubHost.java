package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub and GitHub Enterprise Server, "Create a commit status": {@code POST /repos/{owner}/{repo}/statuses/{sha}},
 * states {@code pending|success|failure|error}. Fine-grained token: "Commit statuses" repository permission, write;
 * classic token: {@code repo:status}.
 */
@ApplicationScoped
@Identifier("github")
public class GitHubHost implements CommitStatusHost {

    static final String API_VERSION = "2022-11-28";

    @Override
    public Optional<String> defaultApiUrl() {
        return Optional.of("https://api.github.com");
    }

    @Override
    public HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl) {
        String state = switch (update.state()) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            // GitHub has no "canceled": error says the commit did not go live, without blaming it.
            case CANCELED -> "error";
        };
        return new HostCall(
                URI.create(endpoint.apiUrl() + "/repos/" + HostCall.encodePath(endpoint.repositoryPath()) + "/statuses/"
                        + update.commit()),
                Map.of("Authorization", HostCall.bearer(endpoint.token()),
                        "Accept", "application/vnd.github+json",
                        "X-GitHub-Api-Version", API_VERSION),
                Map.of("state", state, "target_url", targetUrl, "description", update.description(),
                        "context", update.context()));
    }
}
