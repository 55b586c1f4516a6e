package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.WebhookEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Gitea and its fork Forgejo. Both also send GitHub's and Gogs' headers for compatibility, so they are detected
 * before those; Forgejo's own headers win over the Gitea ones it sends too.
 */
@ApplicationScoped
@Identifier("gitea")
public class GiteaParser implements PayloadParser {

    @Override
    public Provider provider() {
        return Provider.GITEA;
    }

    @Override
    public String recognisedBy() {
        return "an X-Gitea-Event or X-Forgejo-Event header";
    }

    /** Gitea and Forgejo also send GitHub's and Gogs' headers, so they are asked before those. */
    @Override
    public int detectionOrder() {
        return -1;
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return headers.has("X-Forgejo-Event") || headers.has("X-Gitea-Event");
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        String header = headers.has("X-Forgejo-Signature") ? "X-Forgejo-Signature" : "X-Gitea-Signature";
        return new SignatureScheme.HmacSha256(header, "");
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return headers.first("X-Forgejo-Delivery", "X-Gitea-Delivery");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = headers.has("X-Forgejo-Event") ? headers.event("X-Forgejo-Event")
                : headers.event("X-Gitea-Event");
        return switch (event) {
            case "push" -> GitHubShape.push(body);
            case "delete" -> GitHubShape.refDeleted(body);
            case "ping" -> new WebhookEvent.Ping("ping");
            default -> new WebhookEvent.Ignored(event);
        };
    }
}
