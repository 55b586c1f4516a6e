package io.momentum.notifier.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.notifier.domain.Notification;
import io.momentum.shared.json.EventCodec;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON webhook for any receiver: the notification as JSON (see docs/contract.md), signed with
 * HMAC-SHA256 over the exact body bytes with the sink's secret, in {@value #SIGNATURE} as {@code sha256=<hex>}.
 * {@value #TIMESTAMP} (Unix seconds) repeats the body's {@code sentAt}, which the signature covers, so a receiver can
 * refuse old replays; {@value #ID} is stable across retries and restarts, for the receiver's own deduplication.
 */
@ApplicationScoped
@Identifier("webhook")
public class WebhookSink implements Sink {

    public static final String SIGNATURE = "X-Momentum-Signature";
    public static final String TIMESTAMP = "X-Momentum-Timestamp";
    public static final String EVENT = "X-Momentum-Event";
    public static final String ID = "X-Momentum-Notification";

    @Override
    public List<SinkRequest> requests(Notification notification, SinkSettings settings, Instant sentAt) {
        ObjectNode body = Json.object();
        body.put("id", notification.id());
        body.put("kind", notification.kind().configName());
        body.put("failure", notification.failure());
        body.put("title", notification.title());
        body.set("details", EventCodec.mapper().valueToTree(notification.details()));
        body.set("environments", EventCodec.mapper().valueToTree(notification.environments()));
        body.put("occurredAt", notification.occurredAt().toString());
        body.put("sentAt", sentAt.toString());
        ObjectNode facts = EventCodec.mapper().valueToTree(notification);
        for (String derived : List.of("id", "kind", "failure", "title", "details", "environments", "occurredAt")) {
            facts.remove(derived);
        }
        body.set(section(notification), facts);
        byte[] bytes = Json.bytes(body);

        Map<String, String> headers = new LinkedHashMap<>(Json.CONTENT_TYPE);
        headers.put(EVENT, notification.kind().configName());
        headers.put(ID, notification.id());
        headers.put(TIMESTAMP, String.valueOf(sentAt.getEpochSecond()));
        settings.secret().ifPresent(secret -> headers.put(SIGNATURE, "sha256=" + hmacSha256Hex(secret, bytes)));
        return List.of(new SinkRequest(settings.url(), headers, bytes));
    }

    /** Where the kind's own fields go: {@code deploy}, {@code master} or {@code loadBalancer}. */
    private static String section(Notification notification) {
        return switch (notification.kind()) {
            case DEPLOY -> "deploy";
            case MASTER_LEFT, MASTER_REJOINED -> "master";
            case LB_FAILED -> "loadBalancer";
        };
    }

    /** HMAC-SHA256 of {@code body} keyed with the UTF-8 bytes of {@code secret}, lower-case hex. */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
