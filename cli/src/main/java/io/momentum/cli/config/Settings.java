package io.momentum.cli.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the server is and how to reach it, resolved by {@link SettingsResolver}.
 *
 * @param server the webhook-service base URL (its {@code /api/v1} is called)
 * @param token the API bearer token; never printed, {@link #toString()} included
 * @param caFile PEM certificates to trust for HTTPS instead of the JVM's defaults
 */
public record Settings(URI server, String token, Optional<Path> caFile) {

    @Override
    public String toString() {
        return "Settings[server=" + server + ", token=" + (token == null ? "none" : "(hidden)") + ", caFile="
                + caFile.map(Path::toString).orElse("none") + "]";
    }
}
