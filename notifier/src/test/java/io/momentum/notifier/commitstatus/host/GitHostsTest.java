package io.momentum.notifier.commitstatus.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.notifier.commitstatus.domain.CommitState;
import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.momentum.notifier.commitstatus.host.CommitStatusSender.Delivery;
import io.momentum.notifier.commitstatus.host.RecordingGitHost.Call;
import io.momentum.shared.event.NotificationSent.Outcome;
import io.momentum.shared.event.Provider;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each host class against a local server that checks what the host's API documentation asks for: method, path,
 * auth header and JSON body, for a pending and a final status. Plus the sender's retries and give-ups.
 */
class GitHostsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final UUID REQUEST = UUID.fromString("6f1c1c4e-2b7a-4d5e-9a51-0c3f0e0c9d11");
    private static final String TARGET = "https://momentum.example.net/api/v1/deploys/" + REQUEST;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RecordingGitHost server;
    private static HttpClient http;

    @TempDir
    Path dir;

    private Path tokenFile;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void startServer() throws Exception {
        server = new RecordingGitHost();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void token() throws Exception {
        server.clear();
        tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n");
    }

    private static StatusUpdate update(Provider provider, String url, String context, CommitState state,
            String description) {
        return new StatusUpdate(REQUEST, provider, url, SHA, "production", context, state, description);
    }

    private CommitStatusSender sender(Provider provider, CommitStatusHost host, String username) {
        TestConfig config = new TestConfig().provider(provider.id(), server.url(), tokenFile, username);
        HostTargets targets = new HostTargets(Map.of(provider, host), config,
                "https://momentum.example.net/api/v1/deploys/{requestId}");
        return new CommitStatusSender(http, targets::call, new CommitStatusSender.Retry(3, Duration.ofMillis(10),
                Duration.ofMillis(50)), Duration.ofSeconds(10), meters);
    }

    private List<Call> post(CommitStatusSender sender, StatusUpdate... updates) throws Exception {
        for (StatusUpdate update : updates) {
            assertThat(sender.send(update).get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.DELIVERED);
        }
        List<Call> calls = server.calls();
        assertThat(calls).hasSize(updates.length).allSatisfy(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.header("Content-Type")).isEqualTo("application/json");
        });
        return calls;
    }

    private static void assertBody(Call call, Map<String, Object> expected) throws Exception {
        JsonNode body = JSON.readTree(call.body());
        assertThat(body).isEqualTo(JSON.valueToTree(expected));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void gitHubCommitStatus() throws Exception {
        String url = "git@github.com:puppet/control.git";
        List<Call> calls = post(sender(Provider.GITHUB, new GitHubHost(), null),
                update(Provider.GITHUB, url, "momentum/cm1", CommitState.PENDING, "production: deploying"),
                update(Provider.GITHUB, url, "momentum/cm1", CommitState.FAILURE, "production: failed: disk full"));

        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/repos/puppet/control/statuses/" + SHA);
            assertThat(call.header("Authorization")).isEqualTo("Bearer s3cret-token");
            assertThat(call.header("Accept")).isEqualTo("application/vnd.github+json");
            assertThat(call.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        });
        assertBody(calls.get(0), Map.of("state", "pending", "target_url", TARGET,
                "description", "production: deploying", "context", "momentum/cm1"));
        assertBody(calls.get(1), Map.of("state", "failure", "target_url", TARGET,
                "description", "production: failed: disk full", "context", "momentum/cm1"));
    }

    @Test
    void gitLabCommitStatusOnAProjectInASubgroup() throws Exception {
        String url = "https://gitlab.example.net/infra/puppet/control.git";
        List<Call> calls = post(sender(Provider.GITLAB, new GitLabHost(), null),
                update(Provider.GITLAB, url, "momentum", CommitState.PENDING, "production: deploying to 2 masters"),
                update(Provider.GITLAB, url, "momentum", CommitState.SUCCESS, "production: deployed on cm1, cm2"));

        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/api/v4/projects/infra%2Fpuppet%2Fcontrol/statuses/" + SHA);
            assertThat(call.header("PRIVATE-TOKEN")).isEqualTo("s3cret-token");
            assertThat(call.header("Authorization")).isNull();
        });
        assertBody(calls.get(0), Map.of("state", "running", "name", "momentum", "target_url", TARGET,
                "description", "production: deploying to 2 masters"));
        assertBody(calls.get(1), Map.of("state", "success", "name", "momentum", "target_url", TARGET,
                "description", "production: deployed on cm1, cm2"));
    }

    @Test
    void giteaAndForgejoCommitStatus() throws Exception {
        String url = "https://codeberg.org/puppet/control.git";
        List<Call> calls = post(sender(Provider.GITEA, new GiteaHost(), null),
                update(Provider.GITEA, url, "momentum/cm1", CommitState.PENDING, "production: deploying"),
                update(Provider.GITEA, url, "momentum/cm1", CommitState.CANCELED,
                        "production: superseded by a newer push"));

        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/api/v1/repos/puppet/control/statuses/" + SHA);
            assertThat(call.header("Authorization")).isEqualTo("token s3cret-token");
        });
        assertBody(calls.get(0), Map.of("state", "pending", "target_url", TARGET,
                "description", "production: deploying", "context", "momentum/cm1"));
        assertBody(calls.get(1), Map.of("state", "warning", "target_url", TARGET,
                "description", "production: superseded by a newer push", "context", "momentum/cm1"));
    }

    @Test
    void bitbucketCloudBuildStatusWithAnApiTokenAndUserName() throws Exception {
        String url = "git@bitbucket.org:acme/control.git";
        List<Call> calls = post(sender(Provider.BITBUCKET, new BitbucketCloudHost(), "ops@example.net"),
                update(Provider.BITBUCKET, url, "momentum/cm1", CommitState.PENDING, "production: deploying"),
                update(Provider.BITBUCKET, url, "momentum/cm1", CommitState.SUCCESS, "production: deployed in 1.5 s"));

        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/2.0/repositories/acme/control/commit/" + SHA + "/statuses/build");
            assertThat(call.header("Authorization")).isEqualTo(basic("ops@example.net", "s3cret-token"));
        });
        assertBody(calls.get(0), Map.of("key", "momentum/cm1", "state", "INPROGRESS", "name", "momentum/cm1",
                "url", TARGET, "description", "production: deploying"));
        assertBody(calls.get(1), Map.of("key", "momentum/cm1", "state", "SUCCESSFUL", "name", "momentum/cm1",
                "url", TARGET, "description", "production: deployed in 1.5 s"));
    }

    @Test
    void bitbucketServerBuildStatusWithAnHttpAccessToken() throws Exception {
        String url = "ssh://git@bitbucket.example.net:7999/PUP/control.git";
        List<Call> calls = post(sender(Provider.BITBUCKET_SERVER, new BitbucketServerHost(), null),
                update(Provider.BITBUCKET_SERVER, url, "momentum/cm1", CommitState.PENDING, "production: deploying"),
                update(Provider.BITBUCKET_SERVER, url, "momentum/cm1", CommitState.FAILURE, "production: failed"));

        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path())
                    .isEqualTo("/rest/api/latest/projects/PUP/repos/control/commits/" + SHA + "/builds");
            assertThat(call.header("Authorization")).isEqualTo("Bearer s3cret-token");
        });
        assertBody(calls.get(0), Map.of("key", "momentum/cm1", "state", "INPROGRESS", "name", "momentum/cm1",
                "url", TARGET, "description", "production: deploying"));
        assertBody(calls.get(1), Map.of("key", "momentum/cm1", "state", "FAILED", "name", "momentum/cm1",
                "url", TARGET, "description", "production: failed"));
    }

    @Test
    void azureDevOpsGitStatusWithAPersonalAccessToken() throws Exception {
        String url = "https://acme@dev.azure.com/acme/Puppet%20Infra/_git/control";
        List<Call> calls = post(sender(Provider.AZURE_DEVOPS, new AzureDevOpsHost(), null),
                update(Provider.AZURE_DEVOPS, url, "momentum/cm1", CommitState.PENDING, "production: deploying"),
                update(Provider.AZURE_DEVOPS, url, "momentum/cm1", CommitState.SUCCESS, "production: deployed"));

        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/acme/Puppet%20Infra/_apis/git/repositories/control/commits/" + SHA
                    + "/statuses");
            assertThat(call.query()).isEqualTo("api-version=7.1");
            assertThat(call.header("Authorization")).isEqualTo(basic("", "s3cret-token"));
        });
        assertBody(calls.get(0), Map.of("state", "pending", "description", "production: deploying",
                "targetUrl", TARGET, "context", Map.of("name", "cm1", "genre", "momentum")));
        assertBody(calls.get(1), Map.of("state", "succeeded", "description", "production: deployed",
                "targetUrl", TARGET, "context", Map.of("name", "cm1", "genre", "momentum")));
    }

    @Test
    void aRepositoryEntryGivesItsOwnPathAndToken() throws Exception {
        Path own = Files.writeString(dir.resolve("own"), "repository-token");
        TestConfig config = new TestConfig().provider("github", server.url(), tokenFile, null)
                .repository("control", "https://git.example.net/mirror/control.git", "puppet/control", own);
        HostTargets targets = new HostTargets(Map.of(Provider.GITHUB, new GitHubHost()), config, "https://x/");

        HostCall call = targets.call(update(Provider.GITHUB, "https://git.example.net/mirror/control.git",
                "momentum", CommitState.PENDING, "d"));

        assertThat(call.uri().getPath()).isEqualTo("/repos/puppet/control/statuses/" + SHA);
        assertThat(call.headers()).containsEntry("Authorization", "Bearer repository-token");
        assertThat(call.toString()).doesNotContain("repository-token");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffAndClientErrorsGivenUp() throws Exception {
        CommitStatusSender sender = sender(Provider.GITHUB, new GitHubHost(), null);
        String url = "https://github.com/puppet/control";

        server.answer(503, 502);
        Delivery retried = sender.send(update(Provider.GITHUB, url, "momentum", CommitState.PENDING, "d"))
                .get(30, TimeUnit.SECONDS);
        assertThat(retried).isEqualTo(new Delivery(Outcome.DELIVERED, 3, null));

        server.answer(503, 503, 503);
        Delivery exhausted = sender.send(update(Provider.GITHUB, url, "momentum", CommitState.SUCCESS, "d"))
                .get(30, TimeUnit.SECONDS);
        assertThat(exhausted.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(exhausted.attempts()).isEqualTo(3);

        server.answer(422);
        Delivery refused = sender.send(update(Provider.GITHUB, url, "momentum", CommitState.FAILURE, "d"))
                .get(30, TimeUnit.SECONDS);
        assertThat(refused.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.error()).startsWith("422");

        assertThat(server.calls()).hasSize(7);
        String sink = "commit-status/github";
        assertThat(meters.counter("momentum.notifications.sent", "sink", sink).count()).isEqualTo(1);
        assertThat(meters.counter("momentum.notifications.retried", "sink", sink).count()).isEqualTo(4);
        assertThat(meters.counter("momentum.notifications.dropped", "sink", sink, "reason", "gave-up").count())
                .isEqualTo(2);
    }

    @Test
    void aStatusThatCannotBePostedIsGivenUpWithoutACall() throws Exception {
        CommitStatusSender sender = sender(Provider.GITHUB, new GitHubHost(), null);
        Files.delete(tokenFile);

        Delivery noToken = sender.send(update(Provider.GITHUB, "https://github.com/puppet/control", "momentum",
                CommitState.PENDING, "d")).get(30, TimeUnit.SECONDS);
        Delivery noPath = sender.send(update(Provider.GITHUB, "https://github.com/control", "momentum",
                CommitState.PENDING, "d")).get(30, TimeUnit.SECONDS);

        assertThat(noToken.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(noToken.attempts()).isZero();
        assertThat(noToken.error()).contains("cannot read token file");
        assertThat(noPath.error()).contains("no github repository path");
        assertThat(server.calls()).isEmpty();
    }

    @Test
    void aFinalStatusWaitsForThePendingOneOfTheSameContext() throws Exception {
        CommitStatusSender sender = sender(Provider.GITHUB, new GitHubHost(), null);
        String url = "https://github.com/puppet/control";
        server.answer(503, 503);

        var pending = sender.send(update(Provider.GITHUB, url, "momentum/cm1", CommitState.PENDING, "d"));
        var success = sender.send(update(Provider.GITHUB, url, "momentum/cm1", CommitState.SUCCESS, "d"));
        success.get(30, TimeUnit.SECONDS);

        assertThat(pending).isDone();
        assertThat(server.calls()).extracting(call -> JSON.readTree(call.body()).get("state").asText())
                .containsExactly("pending", "pending", "pending", "success");
    }
}
