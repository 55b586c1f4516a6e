package io.momentum.webhook.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP answer to a webhook: status and JSON body. */
public record Outcome(int status, Map<String, Object> body) {

    public static Outcome of(int status, Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                body.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return new Outcome(status, body);
    }

    public static Outcome error(int status, String message) {
        return of(status, "error", message);
    }
}
