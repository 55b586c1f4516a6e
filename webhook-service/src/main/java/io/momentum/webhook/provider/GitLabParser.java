package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.RefChange;
import io.momentum.webhook.domain.RepositoryRef;
import io.momentum.webhook.domain.WebhookEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** GitLab project and system hooks: {@code X-Gitlab-Event}, secret token in {@code X-Gitlab-Token}. */
@ApplicationScoped
@Identifier("gitlab")
public class GitLabParser implements PayloadParser {

    static final String EVENT = "X-Gitlab-Event";

    @Override
    public Provider provider() {
        return Provider.GITLAB;
    }

    @Override
    public String recognisedBy() {
        return "an X-Gitlab-Event header";
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return headers.has(EVENT);
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        return new SignatureScheme.Token("X-Gitlab-Token");
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return headers.first("X-Gitlab-Event-UUID", "Idempotency-Key");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = headers.event(EVENT);
        // System hooks send "System Hook" and say what happened in object_kind / event_name.
        String kind = Json.text(body, "object_kind").or(() -> Json.text(body, "event_name")).orElse("");
        boolean push = event.equals("push hook") || event.equals("tag push hook")
                || (event.equals("system hook") && (kind.equals("push") || kind.equals("tag_push")));
        if (!push) {
            return new WebhookEvent.Ignored(event);
        }
        String ref = Json.requiredText(body, "ref");
        String after = Json.requiredText(body, "after");
        JsonNode project = Json.requiredObject(body, "project");
        String fullName = Json.requiredText(project, "path_with_namespace");
        String http = Json.text(project, "git_http_url").orElse(null);
        RepositoryRef repository = new RepositoryRef(fullName, Json.lastSegment(fullName), http, List.of(
                http == null ? "" : http, Json.text(project, "git_ssh_url").orElse(""),
                Json.text(project, "web_url").orElse("")));
        String pusher = Json.text(body, "user_username").or(() -> Json.text(body, "user_name")).orElse(null);
        return new WebhookEvent.Push(repository, List.of(RefChange.of(ref, after, false)), pusher);
    }
}
