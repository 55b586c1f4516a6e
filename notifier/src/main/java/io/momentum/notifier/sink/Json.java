package io.momentum.notifier.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.shared.json.EventCodec;
import java.util.Map;

/** JSON bodies with the shared codec's conventions (ISO-8601 instants, sorted properties). */
final class Json {

    static final Map<String, String> CONTENT_TYPE = Map.of("Content-Type", "application/json");

    private Json() {
    }

    static ObjectNode object() {
        return EventCodec.mapper().createObjectNode();
    }

    static ArrayNode array() {
        return EventCodec.mapper().createArrayNode();
    }

    static byte[] bytes(Object value) {
        try {
            return EventCodec.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** At most {@code max} characters, with an ellipsis when cut: chats refuse over-long fields. */
    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
