package io.momentum.shared.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.momentum.shared.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON codec for every topic value: ISO-8601 instants, unknown fields tolerated (a newer producer may
 * add some), and the {@code type} checked so that a record of the wrong topic is refused, not misread.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private EventCodec() {
    }

    /** The configured mapper, for adapters that need plain JSON with the same conventions. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Event event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.type(), e);
        }
    }

    public static String encodeToString(Event event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.type(), e);
        }
    }

    /**
     * Decodes a topic value.
     *
     * @throws UnsupportedSchemaVersionException when a newer producer wrote it with a schema version this reader
     *     does not know
     * @throws EventDecodingException when the bytes are not JSON, name another type, or miss required fields
     */
    public static <T extends Event> T decode(byte[] json, Class<T> type) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new EventDecodingException("not a JSON object");
            }
            JsonNode declared = tree.get("type");
            if (declared != null && !declared.asText().equals(type.getSimpleName())) {
                throw new EventDecodingException("expected type " + type.getSimpleName() + " but got "
                        + declared.asText());
            }
            JsonNode version = tree.get("schemaVersion");
            if (version != null && version.asInt() > Event.SCHEMA_VERSION) {
                throw new UnsupportedSchemaVersionException(type.getSimpleName() + " schemaVersion " + version.asText()
                        + " is newer than " + Event.SCHEMA_VERSION + ", the newest this reader knows");
            }
            return MAPPER.treeToValue(tree, type);
        } catch (EventDecodingException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new EventDecodingException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static <T extends Event> T decode(String json, Class<T> type) {
        return decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }
}
