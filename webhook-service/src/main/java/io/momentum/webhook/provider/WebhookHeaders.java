package io.momentum.webhook.provider;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The request headers a provider is detected and verified from; names are case-insensitive as in HTTP. */
public final class WebhookHeaders {

    private final Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private WebhookHeaders(Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                values.put(name, value);
            }
        });
    }

    public static WebhookHeaders of(Map<String, String> headers) {
        return new WebhookHeaders(headers);
    }

    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public boolean has(String name) {
        return get(name).isPresent();
    }

    /** The first present header of {@code names}. */
    public Optional<String> first(String... names) {
        for (String name : names) {
            Optional<String> value = get(name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The event name a provider sent, lower-cased, or empty. */
    public String event(String header) {
        return get(header).map(v -> v.toLowerCase(Locale.ROOT)).orElse("");
    }
}
