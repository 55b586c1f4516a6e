package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.CommitStatusBook;
import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Azure DevOps, "Statuses - Create": {@code POST
 * {organization}/{project}/_apis/git/repositories/{repositoryId}/commits/{commitId}/statuses?api-version=7.1},
 * states {@code pending|succeeded|failed|error|notApplicable}, the status named by {@code context.genre} /
 * {@code context.name}. A personal access token with the Code (status) scope, as HTTP Basic password.
 */
@ApplicationScoped
@Identifier("azure-devops")
public class AzureDevOpsHost implements CommitStatusHost {

    static final String API_VERSION = "7.1";

    @Override
    public Optional<String> defaultApiUrl() {
        return Optional.of("https://dev.azure.com");
    }

    @Override
    public HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl) {
        String state = switch (update.state()) {
            case PENDING -> "pending";
            case SUCCESS -> "succeeded";
            case FAILURE -> "failed";
            // A superseded deploy says nothing about this commit: a status policy should not block on it.
            case CANCELED -> "notApplicable";
        };
        String[] path = HostCall.encodePath(endpoint.repositoryPath()).split("/", 3);
        String name = update.context().equals(CommitStatusBook.CONTEXT) ? "deploy"
                : update.context().substring(CommitStatusBook.CONTEXT.length() + 1);
        String username = endpoint.username() == null ? "" : endpoint.username();
        return new HostCall(
                URI.create(endpoint.apiUrl() + "/" + path[0] + "/" + path[1] + "/_apis/git/repositories/" + path[2]
                        + "/commits/" + update.commit() + "/statuses?api-version=" + API_VERSION),
                Map.of("Authorization", HostCall.basic(username, endpoint.token())),
                Map.of("state", state, "description", update.description(), "targetUrl", targetUrl,
                        "context", Map.of("name", name, "genre", CommitStatusBook.CONTEXT)));
    }
}
