package io.momentum.notifier.sink;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.notifier.domain.Notification;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is received"): a message
 * whose one attachment is an Adaptive Card (version 1.4) with the title, the details and the time. The workflow
 * answers 202.
 */
@ApplicationScoped
@Identifier("teams")
public class TeamsSink implements Sink {

    static final String ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

    @Override
    public List<SinkRequest> requests(Notification notification, SinkSettings settings, Instant sentAt) {
        ObjectNode card = Json.object();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", notification.title()).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true).put("color", notification.failure() ? "Attention" : "Good");
        for (String line : notification.details()) {
            body.addObject().put("type", "TextBlock").put("text", line).put("wrap", true).put("spacing", "None");
        }
        body.addObject().put("type", "TextBlock").put("text", "momentum · " + notification.kind().configName() + " · "
                + notification.occurredAt()).put("isSubtle", true).put("size", "Small").put("wrap", true);

        ObjectNode message = Json.object();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", ADAPTIVE_CARD);
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return List.of(new SinkRequest(settings.url(), Json.CONTENT_TYPE, Json.bytes(message)));
    }
}
