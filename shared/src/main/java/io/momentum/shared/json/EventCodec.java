package io.momentum.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
            requireTypeAndVersion(json, type);
            return MAPPER.readValue(json, type);
        } catch (EventDecodingException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new EventDecodingException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the top-level {@code type} and {@code schemaVersion} before anything is bound, reading only those two
     * values (nested ones are skipped unread): every service decodes every record of its topics while replaying,
     * and a tree built just for this check cost as much as binding the record.
     */
    private static void requireTypeAndVersion(byte[] json, Class<?> type) throws IOException {
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new EventDecodingException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isStructStart()) {
                    parser.skipChildren();
                    if (field.equals("type")) {
                        throw wrongType(type, "");
                    }
                } else if (field.equals("type") && !parser.getText().equals(type.getSimpleName())) {
                    throw wrongType(type, parser.getText());
                } else if (field.equals("schemaVersion") && parser.getValueAsInt(0) > Event.SCHEMA_VERSION) {
                    throw new UnsupportedSchemaVersionException(type.getSimpleName() + " schemaVersion "
                            + parser.getText() + " is newer than " + Event.SCHEMA_VERSION
                            + ", the newest this reader knows");
                }
            }
        }
    }

    private static EventDecodingException wrongType(Class<?> expected, String declared) {
        return new EventDecodingException("expected type " + expected.getSimpleName() + " but got " + declared);
    }

    public static <T extends Event> T decode(String json, Class<T> type) {
        return decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }
}
