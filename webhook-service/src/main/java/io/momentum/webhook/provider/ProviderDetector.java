package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Picks the parser for a request: by headers first, by body only for Azure DevOps, which sends no header. */
public final class ProviderDetector {

    /** Gitea/Forgejo also send GitHub and Gogs headers, so they are asked first. */
    private final List<PayloadParser> byHeader = List.of(new GiteaParser(), new GogsParser(), new GitHubParser(),
            new GitLabParser(), new BitbucketCloudParser(), new BitbucketServerParser());
    private final AzureDevOpsParser azure = new AzureDevOpsParser();

    public Optional<PayloadParser> detect(WebhookHeaders headers, Supplier<JsonNode> body) {
        for (PayloadParser parser : byHeader) {
            if (parser.detects(headers)) {
                return Optional.of(parser);
            }
        }
        return azure.detectsBody(body.get()) ? Optional.of(azure) : Optional.empty();
    }

    public List<Provider> providers() {
        return List.of(Provider.GITHUB, Provider.GITLAB, Provider.BITBUCKET, Provider.BITBUCKET_SERVER,
                Provider.GITEA, Provider.GOGS, Provider.AZURE_DEVOPS);
    }
}
