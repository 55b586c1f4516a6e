package io.momentum.notifier.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.notifier.domain.Notification;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Slack incoming webhook with Block Kit: a header, the details as an mrkdwn section, a context line; {@code text} is
 * the fallback shown in notifications. Slack answers 200 {@code ok}; 4xx means a revoked or wrong URL.
 */
@ApplicationScoped
@Identifier("slack")
public class SlackSink implements Sink {

    /** Block Kit limits: header text 150 characters, section text 3000. */
    private static final int HEADER_MAX = 150;
    private static final int SECTION_MAX = 3000;

    @Override
    public List<SinkRequest> requests(Notification notification, SinkSettings settings, Instant sentAt) {
        String title = (notification.failure() ? ":x: " : ":white_check_mark: ") + notification.title();
        ObjectNode body = Json.object();
        body.put("text", title);
        var blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", Json.clip(title, HEADER_MAX))
                .put("emoji", true);
        if (!notification.details().isEmpty()) {
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text").put("type", "mrkdwn").put("text",
                    Json.clip(escape(String.join("\n", notification.details())), SECTION_MAX));
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                escape("momentum · " + notification.kind().configName() + " · " + notification.occurredAt()));
        return List.of(new SinkRequest(settings.url(), Json.CONTENT_TYPE, Json.bytes(body)));
    }

    /** The three characters Slack's mrkdwn reserves for links and mentions. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
