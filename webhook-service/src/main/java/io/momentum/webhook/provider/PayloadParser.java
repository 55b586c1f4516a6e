package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.WebhookEvent;
import java.util.Optional;

/**
 * One git host's webhook dialect: how it is recognised, signed, identified and read. Each implementation is a CDI
 * bean carrying {@code @Identifier("<provider id>")}: the detector and the secrets
 * ({@code momentum.webhook.<provider id>.*}) are derived from those beans, so adding a host is one class.
 */
public interface PayloadParser {

    Provider provider();

    /** What a request of this host carries, for the answer to a request no parser recognises. */
    String recognisedBy();

    /** Parsers are asked in ascending order; a host that also sends other hosts' headers goes first. */
    default int detectionOrder() {
        return 0;
    }

    /** Whether the request comes from this provider, judged from its headers alone. */
    boolean detects(WebhookHeaders headers);

    /** For a host that sends no header of its own: asked only once no parser recognised the headers. */
    default boolean detectsBody(JsonNode body) {
        return false;
    }

    SignatureScheme signatureScheme(WebhookHeaders headers);

    /** The provider's id of this delivery, the same when the host redelivers it. */
    Optional<String> deliveryId(WebhookHeaders headers, JsonNode body);

    /**
     * Reads a verified payload.
     *
     * @throws PayloadException naming the field that is missing or wrong
     */
    WebhookEvent parse(WebhookHeaders headers, JsonNode body);

    /** {@link #deliveryId(WebhookHeaders, JsonNode)} of a body read as JSON on first use. */
    default Optional<String> deliveryId(WebhookHeaders headers, Payload body) {
        return deliveryId(headers, body.json());
    }

    /** {@link #parse(WebhookHeaders, JsonNode)} of a body read as JSON on first use. */
    default WebhookEvent parse(WebhookHeaders headers, Payload body) {
        return parse(headers, body.json());
    }
}
