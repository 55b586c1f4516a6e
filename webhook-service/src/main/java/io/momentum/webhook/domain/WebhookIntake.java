package io.momentum.webhook.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.provider.PayloadException;
import io.momentum.webhook.provider.PayloadParser;
import io.momentum.webhook.provider.ProviderDetector;
import io.momentum.webhook.provider.RefChange;
import io.momentum.webhook.provider.SignatureVerifier;
import io.momentum.webhook.provider.WebhookEvent;
import io.momentum.webhook.provider.WebhookHeaders;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A webhook delivery from arrival to answer: detect the provider, verify the raw bytes, read the payload, map
 * refs to environments (or the repository to a module), drop redeliveries, publish, answer. Nothing is published
 * unless every step passed; the answer is 202 only once the broker has the requests.
 */
public final class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
    private final List<SourceRule> sources;
    private final ModuleNames moduleNames;
    private final DeliveryDeduplicator deduplicator;
    private final DeployPublisher publisher;
    private final Clock clock;

    public WebhookIntake(ProviderDetector detector, WebhookSecrets secrets, Set<Provider> disabled,
            List<SourceRule> sources, ModuleNames moduleNames, DeliveryDeduplicator deduplicator,
            DeployPublisher publisher, Clock clock) {
        this.detector = detector;
        this.secrets = secrets;
        this.disabled = Set.copyOf(disabled);
        this.sources = sources.isEmpty() ? List.of(SourceRule.everyRepository()) : List.copyOf(sources);
        this.moduleNames = moduleNames;
        this.deduplicator = deduplicator;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** The deduplication key of a delivery: provider and its delivery id. */
    public static String deliveryKey(Provider provider, String deliveryId) {
        return provider.id() + ":" + deliveryId;
    }

    public CompletionStage<Outcome> receive(Delivery delivery) {
        try {
            return accept(delivery);
        } catch (Rejected r) {
            return CompletableFuture.completedFuture(r.outcome);
        } catch (PayloadException | InvalidNameException e) {
            LOG.warnf("webhook rejected: %s", e.getMessage());
            return CompletableFuture.completedFuture(Outcome.error(400, e.getMessage()));
        }
    }

    private CompletionStage<Outcome> accept(Delivery delivery) {
        WebhookHeaders headers = delivery.headers();
        LazyJson body = new LazyJson(delivery);
        PayloadParser parser = detector.detect(headers, body::orNull).orElseThrow(() -> reject(400,
                "unknown provider: no X-GitHub-Event, X-Gitlab-Event, X-Event-Key, X-Gitea-Event, X-Forgejo-Event"
                        + " or X-Gogs-Event header, and the body is not an Azure DevOps service hook event"));
        Provider provider = parser.provider();
        if (disabled.contains(provider)) {
            throw reject(400, "provider " + provider.id() + " is disabled on this service");
        }
        // Verified over the raw bytes before anything of the payload is read.
        List<WebhookSecrets.Candidate> matched = verify(parser, headers, delivery.rawBody());

        JsonNode json = body.get();
        Optional<String> deliveryId = parser.deliveryId(headers, json).map(WebhookIntake::printable);
        WebhookEvent event = parser.parse(headers, json);
        if (event instanceof WebhookEvent.Ping ping) {
            LOG.infof("%s ping %s answered", provider.id(), deliveryId.orElse("-"));
            return done(Outcome.of(200, "status", "pong", "provider", provider.id(), "detail", ping.detail()));
        }
        if (event instanceof WebhookEvent.Ignored ignored) {
            return done(Outcome.of(200, "status", "ignored", "provider", provider.id(),
                    "reason", "event '" + printable(ignored.event()) + "' is not a push"));
        }
        WebhookEvent.Push push = (WebhookEvent.Push) event;
        requireRepositorySecret(provider, push, matched);

        List<String> skipped = new ArrayList<>();
        List<DeployRequest> requests = delivery.target() == Target.MODULE
                ? moduleRequests(delivery, provider, push, deliveryId, skipped)
                : environmentRequests(provider, push, deliveryId, skipped);
        if (requests.isEmpty()) {
            LOG.infof("%s delivery %s deploys nothing: %s", provider.id(), deliveryId.orElse("-"), skipped);
            return done(Outcome.of(200, "status", "ignored", "provider", provider.id(), "reason",
                    skipped.isEmpty() ? "the push changed no ref" : String.join("; ", skipped)));
        }
        if (deliveryId.isEmpty()) {
            return publish(provider, requests, skipped, null);
        }
        String key = deliveryKey(provider, deliveryId.get());
        CompletableFuture<List<UUID>> mine = new CompletableFuture<>();
        Optional<CompletableFuture<List<UUID>>> earlier = deduplicator.claim(key, mine);
        if (earlier.isPresent()) {
            LOG.infof("%s delivery %s was already received; not publishing again", provider.id(), deliveryId.get());
            return earlier.get().handle((ids, failure) -> failure != null
                    ? Outcome.error(503, "the first copy of this delivery could not be stored; retry")
                    : Outcome.of(200, "status", "duplicate", "deliveryId", deliveryId.get(),
                            "requestId", ids.get(0), "requestIds", ids));
        }
        return publish(provider, requests, skipped, key).whenComplete((outcome, failure) -> {
            if (outcome != null && outcome.status() == 202) {
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
            return List.of();
        }
        List<WebhookSecrets.Candidate> matched = new ArrayList<>();
        for (WebhookSecrets.Candidate candidate : candidates) {
            if (SignatureVerifier.matches(parser.signatureScheme(headers), headers, raw, candidate.secret())) {
                matched.add(candidate);
            }
        }
        if (matched.isEmpty()) {
            LOG.warnf("%s delivery refused: signature or token missing or wrong", parser.provider().id());
            throw reject(401, "signature or token is missing or does not match the configured secret");
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
            throw reject(401, "signature does not match the secret of repository "
                    + printable(push.repository().fullName()));
        }
        if (required.isEmpty() && !matched.isEmpty()) {
            throw reject(401, "repository " + printable(push.repository().fullName())
                    + " has no secret configured for provider " + provider.id());
        }
    }

    private List<DeployRequest> environmentRequests(Provider provider, WebhookEvent.Push push,
            Optional<String> deliveryId, List<String> skipped) {
        SourceRule source = sources.stream().filter(s -> s.matches(push.repository())).findFirst()
                .orElseThrow(() -> reject(400, "repository " + printable(push.repository().fullName())
                        + " is not a configured source (momentum.webhook.sources.<name>.repository or .remote)"));
        List<DeployRequest> requests = new ArrayList<>();
        for (RefChange change : push.changes()) {
            SourceRule.Mapping mapping = source.map(change);
            if (mapping instanceof SourceRule.Mapping.Skip skip) {
                skipped.add(printable(skip.reason()));
                continue;
            }
            SourceRule.Mapping.Deploy deploy = (SourceRule.Mapping.Deploy) mapping;
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

    private CompletionStage<Outcome> publish(Provider provider, List<DeployRequest> requests, List<String> skipped,
            String deliveryKey) {
        return publisher.publish(requests).handle((ok, failure) -> {
            if (failure != null) {
                LOG.errorf("%s delivery %s could not be stored in Kafka: %s", provider.id(),
                        deliveryKey == null ? "-" : deliveryKey, failure.getMessage());
                return Outcome.error(503, "the deploy request could not be stored; retry the delivery");
            }
            List<Map<String, Object>> published = requests.stream().map(WebhookIntake::describe).toList();
            LOG.infof("%s delivery %s published %s", provider.id(), deliveryKey == null ? "-" : deliveryKey,
                    published);
            return Outcome.of(202, "requestId", requests.get(0).requestId(), "provider", provider.id(),
                    "requests", published, "skipped", skipped.isEmpty() ? null : skipped);
        });
    }

    static Map<String, Object> describe(DeployRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requestId", request.requestId());
        out.put("kind", request.kind());
        out.put("key", request.key());
        if (request.environment() != null) {
            out.put("environment", request.environment());
            out.put("branch", request.branch());
        }
        if (request.module() != null) {
            out.put("module", request.module());
        }
        out.put("commit", request.commit());
        out.put("deleted", request.deleted());
        return out;
    }

    private static CompletionStage<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private static Rejected reject(int status, String message) {
        return new Rejected(Outcome.error(status, message));
    }

    /** Header and payload texts end up in logs and answers: no control characters, bounded length. */
    static String printable(String s) {
        String shortened = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }

    private static final class Rejected extends RuntimeException {
        final transient Outcome outcome;

        Rejected(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** The body parsed once, when first needed. */
    private static final class LazyJson implements Supplier<JsonNode> {
        private final Delivery delivery;
        private JsonNode parsed;
        private PayloadException failure;

        LazyJson(Delivery delivery) {
            this.delivery = delivery;
        }

        @Override
        public JsonNode get() {
            if (parsed == null && failure == null) {
                try {
                    JsonNode node = JSON.readTree(jsonBytes());
                    if (node == null || !node.isObject()) {
                        failure = new PayloadException("body must be a JSON object");
                    } else {
                        parsed = node;
                    }
                } catch (JsonProcessingException e) {
                    failure = new PayloadException("malformed JSON: " + e.getOriginalMessage());
                } catch (IOException | IllegalArgumentException e) {
                    failure = new PayloadException("unreadable body: " + e.getMessage());
                }
            }
            if (failure != null) {
                throw failure;
            }
            return parsed;
        }

        JsonNode orNull() {
            try {
                return get();
            } catch (PayloadException e) {
                return null;
            }
        }

        private byte[] jsonBytes() {
            if (!delivery.formEncoded()) {
                return delivery.rawBody();
            }
            String form = new String(delivery.rawBody(), StandardCharsets.UTF_8);
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            throw new PayloadException("form-encoded body has no 'payload' field");
        }
    }
}
