package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.provider.ProviderDetector;
import io.momentum.webhook.provider.WebhookHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The intake's decisions without HTTP or Kafka: a recording publisher stands in for the broker. */
class WebhookIntakeTest {

    static final class RecordingPublisher implements DeployPublisher {
        final List<DeployRequest> published = new ArrayList<>();
        boolean fail;

        @Override
        public CompletionStage<Void> publish(List<DeployRequest> requests) {
            if (fail) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            published.addAll(requests);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final RecordingPublisher publisher = new RecordingPublisher();

    private WebhookIntake intake(WebhookSecrets secrets) {
        return new WebhookIntake(new ProviderDetector(), secrets, Set.of(), List.of(),
                new ModuleNames(List.of("puppetlabs-", "puppet-")),
                new DeliveryDeduplicator(Duration.ofHours(24), 1000, Clock.systemUTC()), publisher,
                Clock.systemUTC());
    }

    private WebhookIntake intake() {
        return intake(new WebhookSecrets(Map.of(Provider.GITHUB, Deliveries.SECRETS.get("github"),
                Provider.GITLAB, Deliveries.SECRETS.get("gitlab")), Map.of()));
    }

    private static WebhookIntake.Delivery delivery(String provider, String kind, String body, String id) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers(provider, kind, bytes, id)), bytes, false, Optional.empty());
    }

    private static Outcome outcome(WebhookIntake intake, WebhookIntake.Delivery delivery) {
        return intake.receive(delivery).toCompletableFuture().join();
    }

    @Test
    void signedPushPublishesOneRequestWithTheRightFields() {
        Outcome outcome = outcome(intake(), delivery("github", "push", Deliveries.payload("github", "push"), "g-1"));
        assertThat(outcome.status()).isEqualTo(202);
        DeployRequest request = publisher.published.get(0);
        assertThat(publisher.published).hasSize(1);
        assertThat(request.key()).isEqualTo("env:production");
        assertThat(request.kind()).isEqualTo(DeployKind.ENVIRONMENT);
        assertThat(request.commit()).isEqualTo(Deliveries.COMMIT);
        assertThat(request.branch()).isEqualTo("production");
        assertThat(request.source()).isEqualTo("puppet");
        assertThat(request.repositoryUrl()).isEqualTo("https://github.com/puppet/control.git");
        assertThat(request.deliveryId()).isEqualTo("g-1");
        assertThat(request.pusher()).isEqualTo("alice");
        assertThat(request.deleted()).isFalse();
        assertThat(outcome.body()).containsEntry("requestId", request.requestId());
    }

    @Test
    void deletionIsPublishedAsDeleted() {
        assertThat(outcome(intake(), delivery("gitlab", "delete", Deliveries.payload("gitlab", "delete"), "l-1"))
                .status()).isEqualTo(202);
        assertThat(publisher.published).singleElement().satisfies(r -> {
            assertThat(r.deleted()).isTrue();
            assertThat(r.environment()).isEqualTo("feature_old_thing");
            assertThat(r.commit()).isNull();
        });
    }

    @Test
    void tagsPingsAndOtherEventsPublishNothing() {
        assertThat(outcome(intake(), delivery("github", "tag", Deliveries.payload("github", "tag"), "t"))
                .status()).isEqualTo(200);
        assertThat(outcome(intake(), delivery("github", "ping", Deliveries.payload("github", "ping"), "p"))
                .body()).containsEntry("status", "pong");
        assertThat(outcome(intake(), delivery("gitlab", "merge_request",
                Deliveries.payload("gitlab", "merge_request"), "m")).status()).isEqualTo(200);
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void wrongSecretIsRefusedEvenForAPing() {
        String ping = Deliveries.payload("github", "ping");
        byte[] bytes = ping.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery forged = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "ping", bytes, "x", "wrong")), bytes, false,
                Optional.empty());
        assertThat(outcome(intake(), forged).status()).isEqualTo(401);
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void unverifiedProvidersAreAcceptedWhenNoSecretIsSet() {
        WebhookIntake open = intake(WebhookSecrets.none());
        String body = Deliveries.payload("gogs", "push");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery unsigned = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", "u-1")), bytes, false,
                Optional.empty());
        assertThat(outcome(open, unsigned).status()).isEqualTo(202);
    }

    @Test
    void repositorySecretReplacesTheProviderSecret() {
        WebhookIntake intake = intake(new WebhookSecrets(Map.of(Provider.GITHUB, "provider-secret"),
                Map.of("Puppet/Control", "repo-secret")));
        String body = Deliveries.payload("github", "push");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery withProviderSecret = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "r-1", "provider-secret")), bytes,
                false, Optional.empty());
        assertThat(outcome(intake, withProviderSecret).status()).isEqualTo(401);
        WebhookIntake.Delivery withRepoSecret = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "r-2", "repo-secret")), bytes,
                false, Optional.empty());
        assertThat(outcome(intake, withRepoSecret).status()).isEqualTo(202);
    }

    @Test
    void badInputIs400AndNamesTheProblem() {
        Outcome malformed = outcome(intake(), delivery("github", "push", "{\"ref\": ", "b-1"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat((String) malformed.body().get("error")).contains("malformed JSON");
        Outcome missing = outcome(intake(), delivery("github", "push",
                "{\"ref\":\"refs/heads/x\",\"after\":\"" + Deliveries.COMMIT + "\"}", "b-2"));
        assertThat((String) missing.body().get("error")).contains("'repository'");
        Outcome notObject = outcome(intake(), delivery("github", "push", "[1,2]", "b-3"));
        assertThat((String) notObject.body().get("error")).contains("JSON object");
        Outcome unknown = outcome(intake(), new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Map.of()), "{}".getBytes(StandardCharsets.UTF_8), false, Optional.empty()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat((String) unknown.body().get("error")).contains("unknown provider");
        Outcome reserved = outcome(intake(), delivery("github", "push",
                Deliveries.payload("github", "push").replace("refs/heads/production", "refs/heads/master"), "b-4"));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat((String) reserved.body().get("error")).contains("reserved");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void redeliveryPublishesOnceAndAnswersWithTheFirstRequest() {
        WebhookIntake intake = intake();
        String body = Deliveries.payload("github", "push");
        Outcome first = outcome(intake, delivery("github", "push", body, "dup-1"));
        Outcome second = outcome(intake, delivery("github", "push", body, "dup-1"));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).containsEntry("status", "duplicate")
                .containsEntry("requestId", first.body().get("requestId"));
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void brokerFailureIs503AndTheRetryIsPublished() {
        WebhookIntake intake = intake();
        String body = Deliveries.payload("github", "push");
        publisher.fail = true;
        assertThat(outcome(intake, delivery("github", "push", body, "f-1")).status()).isEqualTo(503);
        publisher.fail = false;
        assertThat(outcome(intake, delivery("github", "push", body, "f-1")).status()).isEqualTo(202);
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void formEncodedGitHubPayloadIsVerifiedOverTheFormBytes() {
        String form = "payload=" + URLEncoder.encode(Deliveries.payload("github", "push"), StandardCharsets.UTF_8);
        byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery delivery = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "form-1")), bytes, true,
                Optional.empty());
        assertThat(outcome(intake(), delivery).status()).isEqualTo(202);
    }

    @Test
    void modulePushRequestsOneModuleDeploy() {
        String body = Deliveries.payload("github", "push").replace("\"name\": \"control\"",
                "\"name\": \"puppetlabs-stdlib\"").replace("puppet/control", "puppetlabs/puppetlabs-stdlib");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery delivery = new WebhookIntake.Delivery(WebhookIntake.Target.MODULE,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "mod-1")), bytes, false,
                Optional.empty());
        assertThat(outcome(intake(), delivery).status()).isEqualTo(202);
        assertThat(publisher.published).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("module:stdlib");
            assertThat(r.kind()).isEqualTo(DeployKind.MODULE);
            assertThat(r.commit()).isEqualTo(Deliveries.COMMIT);
        });
    }
}
