package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.RefChange;
import io.momentum.webhook.domain.RepositoryRef;
import io.momentum.webhook.domain.WebhookEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Bitbucket Server / Data Center: {@code X-Event-Key: repo:refs_changed} with {@code X-Request-Id}. */
@ApplicationScoped
@Identifier("bitbucket-server")
public class BitbucketServerParser implements PayloadParser {

    @Override
    public Provider provider() {
        return Provider.BITBUCKET_SERVER;
    }

    @Override
    public String recognisedBy() {
        return "an X-Event-Key header with X-Request-Id";
    }

    /** Asked after Bitbucket Cloud: a proxy may add an X-Request-Id to Cloud's requests too. */
    @Override
    public int detectionOrder() {
        return 1;
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return headers.has("X-Event-Key") && headers.has("X-Request-Id");
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        return new SignatureScheme.HmacSha256("X-Hub-Signature", "sha256=");
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return headers.get("X-Request-Id");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = headers.event("X-Event-Key");
        if (event.equals("diagnostics:ping")) {
            return new WebhookEvent.Ping("diagnostics:ping");
        }
        if (!event.equals("repo:refs_changed")) {
            return new WebhookEvent.Ignored(event);
        }
        JsonNode repo = Json.requiredObject(body, "repository");
        String slug = Json.requiredText(repo, "slug");
        String project = Json.requiredText(repo, "project.key");
        List<String> urls = new ArrayList<>();
        String httpClone = null;
        JsonNode clones = Json.at(repo, "links.clone");
        if (clones != null && clones.isArray()) {
            for (JsonNode clone : clones) {
                String href = Json.text(clone, "href").orElse("");
                urls.add(href);
                if (Json.text(clone, "name").orElse("").startsWith("http")) {
                    httpClone = href;
                }
            }
        }
        RepositoryRef repository = new RepositoryRef(project + "/" + slug, slug,
                httpClone != null ? httpClone : urls.stream().findFirst().orElse(null), urls);
        List<RefChange> changes = new ArrayList<>();
        for (JsonNode change : Json.requiredArray(body, "changes")) {
            String ref = Json.text(change, "ref.id").orElseGet(() -> Json.requiredText(change, "refId"));
            boolean deleted = "DELETE".equalsIgnoreCase(Json.text(change, "type").orElse(""));
            changes.add(RefChange.of(ref, deleted ? null : Json.requiredText(change, "toHash"), deleted));
        }
        String pusher = Json.text(body, "actor.name").orElse(null);
        return new WebhookEvent.Push(repository, changes, pusher);
    }
}
