package io.momentum.notifier.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.notifier.domain.Notification;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Rocket.Chat incoming webhook integration: {@code text} with the title, one attachment with the details, coloured
 * red for failures and green otherwise. The channel and the sender are set on the integration in Rocket.Chat.
 */
@ApplicationScoped
@Identifier("rocketchat")
public class RocketChatSink implements Sink {

    static final String FAILURE_COLOR = "#d0021b";
    static final String SUCCESS_COLOR = "#2eb886";

    @Override
    public List<SinkRequest> requests(Notification notification, SinkSettings settings, Instant sentAt) {
        ObjectNode body = Json.object();
        body.put("text", (notification.failure() ? ":x: " : ":white_check_mark: ") + notification.title());
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("title", notification.kind().configName() + " · " + notification.occurredAt());
        attachment.put("text", String.join("\n", notification.details()));
        attachment.put("color", notification.failure() ? FAILURE_COLOR : SUCCESS_COLOR);
        return List.of(new SinkRequest(settings.url(), Json.CONTENT_TYPE, Json.bytes(body)));
    }
}
