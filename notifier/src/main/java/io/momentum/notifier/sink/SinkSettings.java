package io.momentum.notifier.sink;

import java.net.URI;
import java.util.Optional;

/**
 * One configured sink as its {@link Sink} sees it, secrets already read from their files.
 *
 * @param name the sink's name in {@code momentum.notifier.sinks.<name>}
 * @param url where to POST (a webhook URL; Foreman's base URL)
 * @param secret the generic webhook's HMAC key
 * @param user Foreman's API user
 * @param password Foreman's password or personal access token
 * @param smartProxyId the Foreman smart proxy (id or name) with the Puppet feature that serves the environments
 */
public record SinkSettings(String name, String type, URI url, Optional<String> secret, Optional<String> user,
        Optional<String> password, Optional<String> smartProxyId) {

    @Override
    public String toString() {
        // Never the secrets.
        return "sink " + name + " (" + type + ")";
    }

    /** The value of a required setting, or a start-up error naming its key. */
    static String required(Optional<String> value, SinkSettings settings, String key) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                "momentum.notifier.sinks." + settings.name() + "." + key + " is required for a " + settings.type()
                        + " sink"));
    }
}
