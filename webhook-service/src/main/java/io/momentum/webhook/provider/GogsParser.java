package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.WebhookEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Gogs: {@code X-Gogs-Event}, hex HMAC-SHA256 in {@code X-Gogs-Signature}. */
@ApplicationScoped
@Identifier("gogs")
public class GogsParser implements PayloadParser {

    static final String EVENT = "X-Gogs-Event";

    @Override
    public Provider provider() {
        return Provider.GOGS;
    }

    @Override
    public String recognisedBy() {
        return "an X-Gogs-Event header";
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return headers.has(EVENT);
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        return new SignatureScheme.HmacSha256("X-Gogs-Signature", "");
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return headers.get("X-Gogs-Delivery");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = headers.event(EVENT);
        return switch (event) {
            case "push" -> GitHubShape.push(body);
            case "delete" -> GitHubShape.refDeleted(body);
            case "ping" -> new WebhookEvent.Ping("ping");
            default -> new WebhookEvent.Ignored(event);
        };
    }
}
