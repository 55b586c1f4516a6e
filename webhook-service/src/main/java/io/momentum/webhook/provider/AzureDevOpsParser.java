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

/**
 * Azure DevOps service hooks ({@code eventType: git.push}). They carry no provider header, so they are detected
 * from the body, last; their only proof is HTTP basic authentication.
 */
@ApplicationScoped
@Identifier("azure-devops")
public class AzureDevOpsParser implements PayloadParser {

    @Override
    public Provider provider() {
        return Provider.AZURE_DEVOPS;
    }

    @Override
    public String recognisedBy() {
        return "a body that is an Azure DevOps service hook event";
    }

    @Override
    public boolean detects(WebhookHeaders headers) {
        return false;
    }

    @Override
    public boolean detectsBody(JsonNode body) {
        return body != null && body.isObject() && Json.text(body, "eventType").isPresent()
                && Json.text(body, "publisherId").isPresent();
    }

    @Override
    public SignatureScheme signatureScheme(WebhookHeaders headers) {
        return new SignatureScheme.BasicPassword();
    }

    @Override
    public Optional<String> deliveryId(WebhookHeaders headers, JsonNode body) {
        return Json.text(body, "id");
    }

    @Override
    public WebhookEvent parse(WebhookHeaders headers, JsonNode body) {
        String event = Json.requiredText(body, "eventType");
        if (!event.equals("git.push")) {
            return new WebhookEvent.Ignored(event);
        }
        JsonNode resource = Json.requiredObject(body, "resource");
        JsonNode repo = Json.requiredObject(resource, "repository");
        String name = Json.requiredText(repo, "name");
        String project = Json.text(repo, "project.name").orElse(name);
        String remote = Json.text(repo, "remoteUrl").orElse(null);
        RepositoryRef repository = new RepositoryRef(project + "/" + name, name, remote,
                List.of(remote == null ? "" : remote, Json.text(repo, "sshUrl").orElse("")));
        List<RefChange> changes = new ArrayList<>();
        for (JsonNode update : Json.requiredArray(resource, "refUpdates")) {
            changes.add(RefChange.of(Json.requiredText(update, "name"), Json.requiredText(update, "newObjectId"),
                    false));
        }
        String pusher = Json.text(resource, "pushedBy.uniqueName")
                .or(() -> Json.text(resource, "pushedBy.displayName")).orElse(null);
        return new WebhookEvent.Push(repository, changes, pusher);
    }
}
