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

/** Bitbucket Cloud: {@code X-Event-Key: repo:push} with {@code X-Request-UUID}; one push may move many refs. */
@ApplicationScoped
@Identifier("bitbucket")
public class BitbucketCloudParser implements PayloadParser {

    @Override
    public Provider provider() {
        return Provider.BITBUCKET;
    }

    @Override
    public String recognisedBy() {
        return "an X-Event-Key header with X-Request-UUID or X-Hook-UUID";
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return headers.has("X-Event-Key") && (headers.has("X-Request-UUID") || headers.has("X-Hook-UUID"));
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        return new SignatureScheme.HmacSha256("X-Hub-Signature", "sha256=");
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return headers.get("X-Request-UUID");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = headers.event("X-Event-Key");
        if (event.equals("diagnostics:ping")) {
            return new WebhookEvent.Ping("diagnostics:ping");
        }
        if (!event.equals("repo:push")) {
            return new WebhookEvent.Ignored(event);
        }
        JsonNode repo = Json.requiredObject(body, "repository");
        String fullName = Json.requiredText(repo, "full_name");
        String html = Json.text(repo, "links.html.href").orElse("https://bitbucket.org/" + fullName);
        RepositoryRef repository = new RepositoryRef(fullName, Json.lastSegment(fullName), html + ".git",
                List.of(html + ".git", html, "git@bitbucket.org:" + fullName + ".git"));
        List<RefChange> changes = new ArrayList<>();
        for (JsonNode change : Json.requiredArray(body, "push.changes")) {
            changes.add(change(change));
        }
        String pusher = Json.text(body, "actor.nickname").or(() -> Json.text(body, "actor.display_name"))
                .orElse(null);
        return new WebhookEvent.Push(repository, changes, pusher);
    }

    private static RefChange change(JsonNode change) {
        JsonNode now = Json.at(change, "new");
        JsonNode side = now != null ? now : Json.at(change, "old");
        if (side == null) {
            throw new PayloadException("push.changes[] entry has neither 'new' nor 'old'");
        }
        String type = Json.requiredText(side, "type");
        String name = Json.requiredText(side, "name");
        String ref = switch (type) {
            case "branch", "named_branch" -> "refs/heads/" + name;
            case "tag", "annotated_tag" -> "refs/tags/" + name;
            default -> "refs/" + type + "/" + name;
        };
        if (now == null) {
            return RefChange.of(ref, null, true);
        }
        return RefChange.of(ref, Json.requiredText(now, "target.hash"), false);
    }
}
