package io.momentum.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import io.momentum.webhook.Deliveries;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.ModuleNames;
import io.momentum.webhook.domain.WebhookSecrets;
import io.momentum.webhook.provider.Parsers;
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
import java.util.regex.Pattern;
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

    /** The samples' repository, with main mapped to production, wip/ ignored and no other rule. */
    static final Source PUPPET = new Source("puppet", "https://github.com/puppet/control.git",
            Optional.of("puppet/control"), null, List.of(), List.of(Pattern.compile("wip/.*")), false,
            Source.InvalidBranches.CORRECT_AND_WARN, Map.of("main", "production"));

    private WebhookIntake intake(WebhookSecrets secrets) {
        return intake(secrets, PUPPET);
    }

    private WebhookIntake intake(WebhookSecrets secrets, Source source) {
        return new WebhookIntake(Parsers.detector(), secrets, Set.of(), new ControlSources(List.of(source)),
                new ModuleNames(List.of("puppetlabs-", "puppet-")),
                new DeliveryDeduplicator(Duration.ofHours(24), 1000, Clock.systemUTC()), publisher,
                Clock.systemUTC());
    }

    private WebhookIntake intake() {
        return intake(secrets());
    }

    private static WebhookSecrets secrets() {
        return new WebhookSecrets(Map.of(Provider.GITHUB, Deliveries.SECRETS.get("github"),
                Provider.GITLAB, Deliveries.SECRETS.get("gitlab")), Map.of(), Set.of());
    }

    private static String pushTo(String branch) {
        return Deliveries.payload("github", "push").replace("refs/heads/production", "refs/heads/" + branch);
    }

    private static WebhookIntake.Delivery delivery(String provider, String kind, String body, String id) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers(provider, kind, bytes, id)), bytes, false, Optional.empty());
    }

    private static IntakeResult outcome(WebhookIntake intake, WebhookIntake.Delivery delivery) {
        return intake.receive(delivery).toCompletableFuture().join();
    }

    private static <T extends IntakeResult> T as(Class<T> type, IntakeResult result) {
        assertThat(result).isInstanceOf(type);
        return type.cast(result);
    }

    @Test
    void signedPushPublishesOneRequestWithTheRightFields() {
        IntakeResult.Published outcome = as(IntakeResult.Published.class,
                outcome(intake(), delivery("github", "push", Deliveries.payload("github", "push"), "g-1")));
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
        assertThat(outcome.requests().get(0).requestId()).isEqualTo(request.requestId());
    }

    @Test
    void deletionIsPublishedAsDeleted() {
        as(IntakeResult.Published.class,
                outcome(intake(), delivery("gitlab", "delete", Deliveries.payload("gitlab", "delete"), "l-1")));
        assertThat(publisher.published).singleElement().satisfies(r -> {
            assertThat(r.deleted()).isTrue();
            assertThat(r.environment()).isEqualTo("feature_old_thing");
            assertThat(r.commit()).isNull();
        });
    }

    @Test
    void tagsPingsAndOtherEventsPublishNothing() {
        as(IntakeResult.Ignored.class,
                outcome(intake(), delivery("github", "tag", Deliveries.payload("github", "tag"), "t")));
        as(IntakeResult.Pong.class,
                outcome(intake(), delivery("github", "ping", Deliveries.payload("github", "ping"), "p")));
        as(IntakeResult.Ignored.class, outcome(intake(), delivery("gitlab", "merge_request",
                Deliveries.payload("gitlab", "merge_request"), "m")));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void wrongSecretIsRefusedEvenForAPing() {
        String ping = Deliveries.payload("github", "ping");
        byte[] bytes = ping.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery forged = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "ping", bytes, "x", "wrong")), bytes, false,
                Optional.empty());
        as(IntakeResult.Unverified.class, outcome(intake(), forged));
        assertThat(publisher.published).isEmpty();
    }

    private static WebhookIntake.Delivery unsignedGogsPush() {
        byte[] bytes = Deliveries.payload("gogs", "push").getBytes(StandardCharsets.UTF_8);
        return new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Map.of("X-Gogs-Event", "push", "X-Gogs-Delivery", "u-1")), bytes, false,
                Optional.empty());
    }

    @Test
    void providerWithoutSecretIsRefused() {
        IntakeResult.Unverified refused = as(IntakeResult.Unverified.class, outcome(intake(), unsignedGogsPush()));
        assertThat(refused.reason()).contains("no secret is configured for provider gogs")
                .contains("momentum.webhook.gogs.secret");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void unverifiedProvidersAreAcceptedOnlyWhenExplicitlyAllowed() {
        WebhookIntake open = intake(new WebhookSecrets(Map.of(), Map.of(), Set.of(Provider.GOGS)));
        as(IntakeResult.Published.class, outcome(open, unsignedGogsPush()));
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void allowingUnverifiedDoesNotSwitchOffAConfiguredSecret() {
        WebhookIntake intake = intake(new WebhookSecrets(Map.of(Provider.GOGS, "gogs-secret"), Map.of(),
                Set.of(Provider.GOGS)));
        as(IntakeResult.Unverified.class, outcome(intake, unsignedGogsPush()));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void repositorySecretReplacesTheProviderSecret() {
        WebhookIntake intake = intake(new WebhookSecrets(Map.of(Provider.GITHUB, "provider-secret"),
                Map.of("Puppet/Control", "repo-secret"), Set.of()));
        String body = Deliveries.payload("github", "push");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery withProviderSecret = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "r-1", "provider-secret")), bytes,
                false, Optional.empty());
        as(IntakeResult.Unverified.class, outcome(intake, withProviderSecret));
        WebhookIntake.Delivery withRepoSecret = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "r-2", "repo-secret")), bytes,
                false, Optional.empty());
        as(IntakeResult.Published.class, outcome(intake, withRepoSecret));
    }

    @Test
    void badInputIs400AndNamesTheProblem() {
        IntakeResult.Invalid malformed = as(IntakeResult.Invalid.class,
                outcome(intake(), delivery("github", "push", "{\"ref\": ", "b-1")));
        assertThat(malformed.reason()).contains("malformed JSON");
        IntakeResult.Invalid missing = as(IntakeResult.Invalid.class, outcome(intake(), delivery("github", "push",
                "{\"ref\":\"refs/heads/x\",\"after\":\"" + Deliveries.COMMIT + "\"}", "b-2")));
        assertThat(missing.reason()).contains("'repository'");
        IntakeResult.Invalid notObject = as(IntakeResult.Invalid.class,
                outcome(intake(), delivery("github", "push", "[1,2]", "b-3")));
        assertThat(notObject.reason()).contains("JSON object");
        IntakeResult.Invalid unknown = as(IntakeResult.Invalid.class, outcome(intake(),
                new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS, WebhookHeaders.of(Map.of()),
                        "{}".getBytes(StandardCharsets.UTF_8), false, Optional.empty())));
        assertThat(unknown.reason()).contains("unknown provider");
        IntakeResult.Invalid punctuation = as(IntakeResult.Invalid.class,
                outcome(intake(), delivery("github", "push", pushTo("..."), "b-4")));
        assertThat(punctuation.reason()).contains("not a valid git ref name");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aReservedBranchWithoutMappingIsSkippedWithTheHintAndAMappedOneDeploys() {
        IntakeResult.Ignored reserved = as(IntakeResult.Ignored.class,
                outcome(intake(), delivery("github", "push", pushTo("master"), "r-5")));
        assertThat(reserved.reason()).contains("reserved", "momentum.sources.puppet.environments.master=");
        assertThat(publisher.published).isEmpty();

        as(IntakeResult.Published.class, outcome(intake(), delivery("github", "push", pushTo("main"), "r-6")));
        assertThat(publisher.published).singleElement().satisfies(r -> {
            assertThat(r.environment()).isEqualTo("production");
            assertThat(r.branch()).isEqualTo("main");
        });
    }

    @Test
    void anIgnoredBranchPublishesNothingAndSaysWhy() {
        IntakeResult.Ignored ignored = as(IntakeResult.Ignored.class,
                outcome(intake(), delivery("github", "push", pushTo("wip/idea"), "i-1")));
        assertThat(ignored.reason()).contains("wip/idea", "ignore pattern", "puppet");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void invalidBranchesErrorSkipsWithItsReason() {
        Source strict = new Source("puppet", PUPPET.remote(), PUPPET.repository(), null, List.of(), List.of(), false,
                Source.InvalidBranches.ERROR, Map.of());
        IntakeResult.Ignored skipped = as(IntakeResult.Ignored.class,
                outcome(intake(secrets(), strict), delivery("github", "push", pushTo("feature/x"), "e-1")));
        assertThat(skipped.reason()).contains("invalid-branches=error");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aRepositoryThatIsNoSourceIs400() {
        IntakeResult.Invalid unknown = as(IntakeResult.Invalid.class, outcome(intake(), delivery("github", "push",
                Deliveries.payload("github", "push").replace("puppet/control", "puppet/other"), "u-2")));
        assertThat(unknown.reason()).contains("puppet/other", "momentum.sources.<name>.repository");
        assertThat(publisher.published).isEmpty();
    }

    /** The contract with the agents: they apply the same source rules to every request before deploying it. */
    @Test
    void everyPublishedRequestIsOneTheAgentsAccept() {
        for (String branch : List.of("production", "main", "feature/new-thing", "x;rm${IFS}-rf$HOME")) {
            outcome(intake(), delivery("github", "push", pushTo(branch), "c-" + branch.hashCode()));
        }
        outcome(intake(), delivery("gitlab", "delete", Deliveries.payload("gitlab", "delete"), "c-delete"));
        assertThat(publisher.published).hasSize(5).allSatisfy(r -> {
            assertThat(r.source()).isEqualTo(PUPPET.name());
            assertThat(ControlSources.deploysTo(PUPPET, r.branch(), r.environment())).as(r.key()).isTrue();
        });
    }

    @Test
    void redeliveryPublishesOnceAndAnswersWithTheFirstRequest() {
        WebhookIntake intake = intake();
        String body = Deliveries.payload("github", "push");
        IntakeResult.Published first = as(IntakeResult.Published.class,
                outcome(intake, delivery("github", "push", body, "dup-1")));
        IntakeResult.Duplicate second = as(IntakeResult.Duplicate.class,
                outcome(intake, delivery("github", "push", body, "dup-1")));
        assertThat(second.requestIds().get(0)).isEqualTo(first.requests().get(0).requestId());
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void brokerFailureIs503AndTheRetryIsPublished() {
        WebhookIntake intake = intake();
        String body = Deliveries.payload("github", "push");
        publisher.fail = true;
        as(IntakeResult.NotStored.class, outcome(intake, delivery("github", "push", body, "f-1")));
        publisher.fail = false;
        as(IntakeResult.Published.class, outcome(intake, delivery("github", "push", body, "f-1")));
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void formEncodedGitHubPayloadIsVerifiedOverTheFormBytes() {
        String form = "payload=" + URLEncoder.encode(Deliveries.payload("github", "push"), StandardCharsets.UTF_8);
        byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery delivery = new WebhookIntake.Delivery(WebhookIntake.Target.ENVIRONMENTS,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "form-1")), bytes, true,
                Optional.empty());
        as(IntakeResult.Published.class, outcome(intake(), delivery));
    }

    @Test
    void modulePushRequestsOneModuleDeploy() {
        String body = Deliveries.payload("github", "push").replace("\"name\": \"control\"",
                "\"name\": \"puppetlabs-stdlib\"").replace("puppet/control", "puppetlabs/puppetlabs-stdlib");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        WebhookIntake.Delivery delivery = new WebhookIntake.Delivery(WebhookIntake.Target.MODULE,
                WebhookHeaders.of(Deliveries.headers("github", "push", bytes, "mod-1")), bytes, false,
                Optional.empty());
        as(IntakeResult.Published.class, outcome(intake(), delivery));
        assertThat(publisher.published).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("module:stdlib");
            assertThat(r.kind()).isEqualTo(DeployKind.MODULE);
            assertThat(r.commit()).isEqualTo(Deliveries.COMMIT);
        });
    }
}
