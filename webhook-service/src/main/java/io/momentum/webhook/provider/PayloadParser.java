package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import java.util.Optional;

/** One git host's webhook dialect: how it is recognised, signed, identified and read. */
public interface PayloadParser {

    Provider provider();

    /** Whether the request comes from this provider, judged from its headers alone. */
    boolean detects(WebhookHeaders headers);

    SignatureScheme signatureScheme(WebhookHeaders headers);

    /** The provider's id of this delivery, the same when the host redelivers it. */
    Optional<String> deliveryId(WebhookHeaders headers, JsonNode body);

    /**
     * Reads a verified payload.
     *
     * @throws PayloadException naming the field that is missing or wrong
     */
    WebhookEvent parse(WebhookHeaders headers, JsonNode body);
}
