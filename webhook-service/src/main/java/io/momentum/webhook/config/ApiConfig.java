package io.momentum.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The deploy and status API ({@code /api/v1}). */
@ConfigMapping(prefix = "momentum.api")
public interface ApiConfig {

    /** Bearer token every {@code /api/v1} call must present; the API refuses everything while unset. */
    Optional<String> token();

    /** How long {@code "wait": true} waits when the request names no timeout. */
    @WithDefault("5m")
    Duration defaultWait();

    /** The longest wait a request may ask for. */
    @WithDefault("30m")
    Duration maxWait();
}
