package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.WebhookEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** GitHub (and GitHub Enterprise Server): {@code X-GitHub-Event}, {@code X-Hub-Signature-256}. */
@ApplicationScoped
@Identifier("github")
public class GitHubParser implements PayloadParser {

    static final String EVENT = "X-GitHub-Event";

    @Override
    public Provider provider() {
        return Provider.GITHUB;
    }

    @Override
    public String recognisedBy() {
        return "an X-GitHub-Event header";
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return headers.has(EVENT);
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        return new SignatureScheme.HmacSha256("X-Hub-Signature-256", "sha256=");
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return headers.get("X-GitHub-Delivery");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = headers.event(EVENT);
        return switch (event) {
            case "push" -> GitHubShape.push(body);
            case "ping" -> new WebhookEvent.Ping(Json.text(body, "zen").orElse("ping"));
            default -> new WebhookEvent.Ignored(event);
        };
    }
}
