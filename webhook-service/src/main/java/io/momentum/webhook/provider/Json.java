package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads payload fields by path, naming the missing path in the error. */
final class Json {

    private Json() {
    }

    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    static Optional<String> text(JsonNode root, String path) {
        JsonNode node = at(root, path);
        return node != null && node.isValueNode() && !node.asText().isBlank()
                ? Optional.of(node.asText())
                : Optional.empty();
    }

    static String requiredText(JsonNode root, String path) {
        return text(root, path).orElseThrow(() -> new PayloadException("missing field '" + path + "'"));
    }

    static JsonNode requiredObject(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (node == null || !node.isObject()) {
            throw new PayloadException("missing object '" + path + "'");
        }
        return node;
    }

    static JsonNode requiredArray(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (node == null || !node.isArray()) {
            throw new PayloadException("missing array '" + path + "'");
        }
        return node;
    }

    static boolean flag(JsonNode root, String path) {
        JsonNode node = at(root, path);
        return node != null && node.asBoolean(false);
    }

    /** The last segment of a path-like name. */
    static String lastSegment(String fullName) {
        int slash = fullName.lastIndexOf('/');
        return slash < 0 ? fullName : fullName.substring(slash + 1);
    }
}
