package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.webhook.domain.RefChange;
import io.momentum.webhook.domain.RepositoryRef;
import io.momentum.webhook.domain.WebhookEvent;
import java.util.List;

/** The push payload GitHub defined and Gitea, Forgejo and Gogs copied. */
final class GitHubShape {

    private GitHubShape() {
    }

    static WebhookEvent.Push push(JsonNode body) {
        String ref = Json.requiredText(body, "ref");
        if (!ref.startsWith("refs/")) {
            throw new PayloadException("field 'ref' must be a full ref name (refs/heads/...), got a short name");
        }
        String after = Json.text(body, "after").orElse(null);
        boolean deleted = Json.flag(body, "deleted");
        if (after == null && !deleted) {
            throw new PayloadException("missing field 'after'");
        }
        return new WebhookEvent.Push(repository(body), List.of(RefChange.of(ref, after, deleted)), pusher(body));
    }

    /** Gitea/Gogs {@code delete} events name the ref short, with its type beside it. */
    static WebhookEvent refDeleted(JsonNode body) {
        String name = Json.requiredText(body, "ref");
        String type = Json.requiredText(body, "ref_type");
        String ref = switch (type) {
            case "branch" -> "refs/heads/" + name;
            case "tag" -> "refs/tags/" + name;
            default -> throw new PayloadException("field 'ref_type' must be branch or tag");
        };
        return new WebhookEvent.Push(repository(body), List.of(RefChange.of(ref, null, true)), pusher(body));
    }

    static RepositoryRef repository(JsonNode body) {
        JsonNode repo = Json.requiredObject(body, "repository");
        String fullName = Json.requiredText(repo, "full_name");
        String name = Json.text(repo, "name").orElse(Json.lastSegment(fullName));
        String clone = Json.text(repo, "clone_url").orElse(null);
        return new RepositoryRef(fullName, name, clone, List.of(
                nullToEmpty(clone), Json.text(repo, "ssh_url").orElse(""), Json.text(repo, "git_url").orElse(""),
                Json.text(repo, "html_url").orElse("")));
    }

    private static String pusher(JsonNode body) {
        return Json.text(body, "pusher.name")
                .or(() -> Json.text(body, "pusher.login"))
                .or(() -> Json.text(body, "pusher.username"))
                .or(() -> Json.text(body, "sender.login"))
                .orElse(null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
