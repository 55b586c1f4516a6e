package io.momentum.webhook.provider;

import java.util.List;

/** Every git provider's parser, as CDI finds them, for tests without CDI. */
public final class Parsers {

    private Parsers() {
    }

    public static List<PayloadParser> all() {
        return List.of(new GitHubParser(), new GitLabParser(), new BitbucketCloudParser(),
                new BitbucketServerParser(), new GiteaParser(), new GogsParser(), new AzureDevOpsParser());
    }

    public static ProviderDetector detector() {
        return new ProviderDetector(all());
    }
}
