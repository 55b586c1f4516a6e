package io.momentum.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading the server's JSON leniently: a missing or null field is absent, never an exception. */
public final class Json {

    private Json() {
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    public static boolean flag(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.asBoolean(false);
    }

    public static List<JsonNode> list(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        List<JsonNode> items = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(items::add);
        }
        return items;
    }

    public static List<String> texts(JsonNode node, String field) {
        return list(node, field).stream().map(JsonNode::asText).toList();
    }

    /** An ISO-8601 instant, or epoch seconds as Jackson writes them with timestamps on. */
    public static Optional<Instant> instant(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return Optional.of(Instant.ofEpochMilli((long) (value.asDouble() * 1000)));
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The first {@code length} characters of a digest or commit; "-" when absent. */
    public static String shortId(String id, int length) {
        return id == null ? "-" : id.length() <= length ? id : id.substring(0, length);
    }

    /** "4s", "3m", "2h", "5d": how long ago, for a column. */
    public static String age(Optional<Instant> at, Instant now) {
        if (at.isEmpty()) {
            return "-";
        }
        long seconds = Math.max(0, Duration.between(at.get(), now).toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    /** "850 ms", "1.2 s", "2m05s". */
    public static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format("%.1f s", millis / 1000.0);
        }
        return String.format("%dm%02ds", millis / 60_000, millis / 1000 % 60);
    }
}
