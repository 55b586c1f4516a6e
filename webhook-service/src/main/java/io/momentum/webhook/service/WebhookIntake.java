package io.momentum.webhook.service;

import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeliveryDeduplicator;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.ModuleNames;
import io.momentum.webhook.domain.RefChange;
import io.momentum.webhook.domain.WebhookEvent;
import io.momentum.webhook.domain.WebhookSecrets;
import io.momentum.webhook.provider.Payload;
import io.momentum.webhook.provider.PayloadException;
import io.momentum.webhook.provider.PayloadParser;
import io.momentum.webhook.provider.ProviderDetector;
import io.momentum.webhook.provider.SignatureVerifier;
import io.momentum.webhook.provider.WebhookHeaders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The webhook use case, from arrival to result: detect the provider, verify the raw bytes, read the payload, map
 * refs to environments (or the repository to a module), drop redeliveries, publish. Nothing is published unless
 * every step passed; the result is {@link IntakeResult.Published} only once the broker has the requests.
 */
public final class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    /** Compiled once: {@link #printable} runs on every delivery (String.replaceAll would compile per call). */
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}");

    /** What the delivery should deploy: environments of a control repository, or one module. */
    public enum Target { ENVIRONMENTS, MODULE }

    /**
     * @param formEncoded the body is {@code application/x-www-form-urlencoded} with the JSON in {@code payload}
     * @param moduleName explicit module name ({@code ?module_name=}), for module repositories named otherwise
     */
    public record Delivery(Target target, WebhookHeaders headers, byte[] rawBody, boolean formEncoded,
            Optional<String> moduleName) {
    }

    private final ProviderDetector detector;
    private final WebhookSecrets secrets;
    private final Set<Provider> disabled;
    private final ControlSources sources;
    private final ModuleNames moduleNames;
    private final DeliveryDeduplicator deduplicator;
    private final DeployPublisher publisher;
    private final Clock clock;

    public WebhookIntake(ProviderDetector detector, WebhookSecrets secrets, Set<Provider> disabled,
            ControlSources sources, ModuleNames moduleNames, DeliveryDeduplicator deduplicator,
            DeployPublisher publisher, Clock clock) {
        this.detector = detector;
        this.secrets = secrets;
        this.disabled = Set.copyOf(disabled);
        this.sources = sources;
        this.moduleNames = moduleNames;
        this.deduplicator = deduplicator;
        this.publisher = publisher;
        this.clock = clock;
    }

    public CompletionStage<IntakeResult> receive(Delivery delivery) {
        try {
            return accept(delivery);
        } catch (Rejected r) {
            return done(r.result);
        } catch (PayloadException | InvalidNameException e) {
            LOG.warnf("webhook rejected: %s", e.getMessage());
            return done(new IntakeResult.Invalid(e.getMessage()));
        }
    }

    private CompletionStage<IntakeResult> accept(Delivery delivery) {
        WebhookHeaders headers = delivery.headers();
        Payload body = new Payload(delivery.rawBody(), delivery.formEncoded());
        PayloadParser parser = detector.detect(headers, body)
                .orElseThrow(() -> invalid(detector.unrecognised()));
        Provider provider = parser.provider();
        if (disabled.contains(provider)) {
            throw invalid("provider " + provider.id() + " is disabled on this service");
        }
        // Verified over the raw bytes before anything of the payload is read.
        List<WebhookSecrets.Candidate> matched = verify(parser, headers, body.raw());

        Optional<String> deliveryId = parser.deliveryId(headers, body).map(WebhookIntake::printable);
        WebhookEvent event = parser.parse(headers, body);
        if (event instanceof WebhookEvent.Ping ping) {
            LOG.infof("%s ping %s answered", provider.id(), deliveryId.orElse("-"));
            return done(new IntakeResult.Pong(provider, ping.detail()));
        }
        if (event instanceof WebhookEvent.Ignored ignored) {
            return done(new IntakeResult.Ignored(provider, "event '" + printable(ignored.event()) + "' is not a push"));
        }
        WebhookEvent.Push push = (WebhookEvent.Push) event;
        requireRepositorySecret(provider, push, matched);

        List<String> skipped = new ArrayList<>();
        List<DeployRequest> requests = delivery.target() == Target.MODULE
                ? moduleRequests(delivery, provider, push, deliveryId, skipped)
                : environmentRequests(provider, push, deliveryId, skipped);
        if (requests.isEmpty()) {
            LOG.infof("%s delivery %s deploys nothing: %s", provider.id(), deliveryId.orElse("-"), skipped);
            return done(new IntakeResult.Ignored(provider,
                    skipped.isEmpty() ? "the push changed no ref" : String.join("; ", skipped)));
        }
        if (deliveryId.isEmpty()) {
            return publish(provider, requests, skipped, null);
        }
        String key = DeliveryDeduplicator.deliveryKey(provider, deliveryId.get());
        CompletableFuture<List<UUID>> mine = new CompletableFuture<>();
        Optional<CompletableFuture<List<UUID>>> earlier = deduplicator.claim(key, mine);
        if (earlier.isPresent()) {
            LOG.infof("%s delivery %s was already received; not publishing again", provider.id(), deliveryId.get());
            return earlier.get().handle((ids, failure) -> failure != null
                    ? new IntakeResult.NotStored("the first copy of this delivery could not be stored; retry")
                    : new IntakeResult.Duplicate(deliveryId.get(), ids));
        }
        return publish(provider, requests, skipped, key).whenComplete((outcome, failure) -> {
            if (outcome instanceof IntakeResult.Published) {
                mine.complete(requests.stream().map(DeployRequest::requestId).toList());
            } else {
                deduplicator.release(key, mine);
                mine.completeExceptionally(new IllegalStateException("not stored"));
            }
        });
    }

    private List<WebhookSecrets.Candidate> verify(PayloadParser parser, WebhookHeaders headers, byte[] raw) {
        List<WebhookSecrets.Candidate> candidates = secrets.candidates(parser.provider());
        if (candidates.isEmpty()) {
            if (secrets.acceptsUnverified(parser.provider())) {
                return List.of();
            }
            String id = parser.provider().id();
            LOG.warnf("%s delivery refused: no secret is configured for it", id);
            throw unverified("no secret is configured for provider " + id + " (momentum.webhook." + id
                    + ".secret), so its deliveries cannot be verified and are refused");
        }
        List<WebhookSecrets.Candidate> matched = new ArrayList<>();
        for (WebhookSecrets.Candidate candidate : candidates) {
            if (SignatureVerifier.matches(parser.signatureScheme(headers), headers, raw, candidate.secret())) {
                matched.add(candidate);
            }
        }
        if (matched.isEmpty()) {
            LOG.warnf("%s delivery refused: signature or token missing or wrong", parser.provider().id());
            throw unverified("signature or token is missing or does not match the configured secret");
        }
        return matched;
    }

    /** A repository with its own secret must be signed with that one, not with another repository's. */
    private void requireRepositorySecret(Provider provider, WebhookEvent.Push push,
            List<WebhookSecrets.Candidate> matched) {
        Optional<WebhookSecrets.Candidate> required = secrets.required(provider, push.repository().fullName());
        if (required.isPresent() && !matched.contains(required.get())) {
            LOG.warnf("%s delivery for %s refused: not signed with that repository's secret", provider.id(),
                    printable(push.repository().fullName()));
            throw unverified("signature does not match the secret of repository "
                    + printable(push.repository().fullName()));
        }
        if (required.isEmpty() && !matched.isEmpty()) {
            throw unverified("repository " + printable(push.repository().fullName())
                    + " has no secret configured for provider " + provider.id());
        }
    }

    private List<DeployRequest> environmentRequests(Provider provider, WebhookEvent.Push push,
            Optional<String> deliveryId, List<String> skipped) {
        Source source = sources.forRepository(push.repository())
                .orElseThrow(() -> invalid("repository " + printable(push.repository().fullName())
                        + " is not a configured source (momentum.sources.<name>.repository or .remote)"));
        List<DeployRequest> requests = new ArrayList<>();
        for (RefChange change : push.changes()) {
            Source.Decision decision = ControlSources.decide(source, change);
            if (decision instanceof Source.Decision.Skip skip) {
                skipped.add(printable(skip.reason()));
                continue;
            }
            Source.Decision.Deploy deploy = (Source.Decision.Deploy) decision;
            deploy.warning().ifPresent(warning -> LOG.warnf("%s (source %s, invalid-branches=correct_and_warn)",
                    printable(warning), source.name()));
            requests.add(new DeployRequest(UUID.randomUUID(), DeployKind.ENVIRONMENT, deploy.environment(),
                    deploy.branch(), source.name(), push.repository().cloneUrl(), change.after(), change.deleted(),
                    null, provider, deliveryId.orElse(null), push.pusher(), clock.instant()));
        }
        return requests;
    }

    private List<DeployRequest> moduleRequests(Delivery delivery, Provider provider, WebhookEvent.Push push,
            Optional<String> deliveryId, List<String> skipped) {
        String module = delivery.moduleName().isPresent()
                ? EnvironmentNames.requireValidModule(delivery.moduleName().get())
                : moduleNames.fromRepository(push.repository().name());
        Optional<RefChange> live = push.changes().stream().filter(c -> !c.deleted()).findFirst();
        if (live.isEmpty()) {
            skipped.add("only deletions: a module repository's deleted ref redeploys nothing");
            return List.of();
        }
        return List.of(new DeployRequest(UUID.randomUUID(), DeployKind.MODULE, null, null, null,
                push.repository().cloneUrl(), live.get().after(), false, module, provider,
                deliveryId.orElse(null), push.pusher(), clock.instant()));
    }

    private CompletionStage<IntakeResult> publish(Provider provider, List<DeployRequest> requests, List<String> skipped,
            String deliveryKey) {
        return publisher.publish(requests).handle((ok, failure) -> {
            if (failure != null) {
                LOG.errorf("%s delivery %s could not be stored in Kafka: %s", provider.id(),
                        deliveryKey == null ? "-" : deliveryKey, failure.getMessage());
                return new IntakeResult.NotStored("the deploy request could not be stored; retry the delivery");
            }
            LOG.infof("%s delivery %s published %s", provider.id(), deliveryKey == null ? "-" : deliveryKey,
                    requests.stream().map(r -> r.key() + "@" + r.commit()).toList());
            return new IntakeResult.Published(provider, requests, skipped);
        });
    }

    private static CompletionStage<IntakeResult> done(IntakeResult result) {
        return CompletableFuture.completedFuture(result);
    }

    private static Rejected invalid(String message) {
        return new Rejected(new IntakeResult.Invalid(message));
    }

    private static Rejected unverified(String message) {
        return new Rejected(new IntakeResult.Unverified(message));
    }

    /** Header and payload texts end up in logs and answers: no control characters, bounded length. */
    static String printable(String s) {
        String shortened = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return CONTROL_CHARACTERS.matcher(shortened).replaceAll("?");
    }

    private static final class Rejected extends RuntimeException {
        final transient IntakeResult result;

        Rejected(IntakeResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
