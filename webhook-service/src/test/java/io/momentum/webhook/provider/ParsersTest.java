package io.momentum.webhook.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.domain.RefChange;
import io.momentum.webhook.domain.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every provider's documented payloads read into the same push events. */
class ParsersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProviderDetector detector = Parsers.detector();

    private WebhookEvent parse(String provider, String kind) throws Exception {
        String body = Deliveries.payload(provider, kind);
        WebhookHeaders headers = WebhookHeaders.of(Deliveries.headers(provider, kind,
                body.getBytes(StandardCharsets.UTF_8), "d-1"));
        JsonNode json = JSON.readTree(body);
        PayloadParser parser = detector.detect(headers, () -> json).orElseThrow();
        assertThat(parser.provider().id()).isEqualTo(provider);
        return parser.parse(headers, json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "gogs", "azure-devops"})
    void pushNamesBranchCommitAndRepository(String provider) throws Exception {
        WebhookEvent.Push push = (WebhookEvent.Push) parse(provider, "push");
        assertThat(push.changes()).containsExactly(new RefChange("refs/heads/production", Deliveries.COMMIT, false));
        assertThat(push.repository().name()).isEqualTo("control");
        assertThat(push.repository().fullName()).isIn("puppet/control", "PUP/control");
        assertThat(push.repository().cloneUrl()).startsWith("https://");
        assertThat(push.pusher()).isIn("alice", "alice@example.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "gogs", "azure-devops"})
    void branchDeletionIsDeletedWithoutCommit(String provider) throws Exception {
        WebhookEvent.Push push = (WebhookEvent.Push) parse(provider, "delete");
        assertThat(push.changes()).containsExactly(new RefChange("refs/heads/feature/old-thing", null, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab", "bitbucket", "bitbucket-server", "gitea", "azure-devops"})
    void tagPushIsATag(String provider) throws Exception {
        WebhookEvent.Push push = (WebhookEvent.Push) parse(provider, "tag");
        assertThat(push.changes()).singleElement().satisfies(c -> {
            assertThat(c.isTag()).isTrue();
            assertThat(c.shortName()).isEqualTo("v1.4.0");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"github", "bitbucket-server"})
    void pingIsAPing(String provider) throws Exception {
        assertThat(parse(provider, "ping")).isInstanceOf(WebhookEvent.Ping.class);
    }

    @Test
    void gitlabMergeRequestIsIgnored() throws Exception {
        assertThat(parse("gitlab", "merge_request")).isInstanceOf(WebhookEvent.Ignored.class);
    }

    @Test
    void forgejoIsReadAsGiteaWithItsOwnHeaders() throws Exception {
        WebhookHeaders headers = WebhookHeaders.of(Map.of("X-Forgejo-Event", "push", "X-Forgejo-Delivery", "f-1",
                "X-Forgejo-Signature", "ab", "X-Gitea-Event", "push", "X-Gitea-Signature", "cd"));
        PayloadParser parser = detector.detect(headers, () -> null).orElseThrow();
        assertThat(parser.provider()).isEqualTo(Provider.GITEA);
        assertThat(parser.signatureScheme(headers)).isEqualTo(new SignatureScheme.HmacSha256("X-Forgejo-Signature", ""));
        assertThat(parser.deliveryId(headers, (JsonNode) null)).contains("f-1");
    }

    @Test
    void unknownHeadersAndBodyDetectNothing() throws Exception {
        assertThat(detector.detect(WebhookHeaders.of(Map.of("X-Other", "1")),
                () -> JSON.createObjectNode().put("ref", "x"))).isEmpty();
        assertThat(detector.unrecognised()).startsWith("unknown provider").contains("X-GitHub-Event")
                .contains("X-Gogs-Event").contains("Azure DevOps");
    }

    @Test
    void detectionFollowsEachParsersOrderNotTheListGiven() {
        WebhookHeaders gitea = WebhookHeaders.of(Map.of("X-Gitea-Event", "push", "X-GitHub-Event", "push",
                "X-Gogs-Event", "push"));
        java.util.List<PayloadParser> reversed = new java.util.ArrayList<>(Parsers.all());
        java.util.Collections.reverse(reversed);
        assertThat(new ProviderDetector(reversed).detect(gitea, () -> null).orElseThrow().provider())
                .isEqualTo(Provider.GITEA);
        WebhookHeaders cloudBehindAProxy = WebhookHeaders.of(Map.of("X-Event-Key", "repo:push",
                "X-Request-UUID", "u", "X-Request-Id", "proxy"));
        assertThat(new ProviderDetector(reversed).detect(cloudBehindAProxy, () -> null).orElseThrow().provider())
                .isEqualTo(Provider.BITBUCKET);
    }

    @Test
    void aProviderHasOneParser() {
        assertThatThrownBy(() -> new ProviderDetector(java.util.List.of(new GitHubParser(), new GitHubParser())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("github");
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        JsonNode noRepository = JSON.readTree("{\"ref\":\"refs/heads/main\",\"after\":\"" + Deliveries.COMMIT + "\"}");
        WebhookHeaders headers = WebhookHeaders.of(Map.of("X-GitHub-Event", "push"));
        assertThatThrownBy(() -> new GitHubParser().parse(headers, noRepository))
                .isInstanceOf(PayloadException.class).hasMessageContaining("'repository'");
        JsonNode noRef = JSON.readTree("{\"after\":\"" + Deliveries.COMMIT + "\"}");
        assertThatThrownBy(() -> new GitHubParser().parse(headers, noRef))
                .isInstanceOf(PayloadException.class).hasMessageContaining("'ref'");
    }

    @Test
    void commitIdsAreValidatedAndNormalised() {
        assertThat(RefChange.commitOrNull(Deliveries.COMMIT.toUpperCase())).isEqualTo(Deliveries.COMMIT);
        assertThat(RefChange.commitOrNull("0000000000000000000000000000000000000000")).isNull();
        assertThat(RefChange.commitOrNull("abc; rm -rf /")).isNull();
        assertThat(RefChange.commitOrNull("a".repeat(64))).isNull();
    }
}
