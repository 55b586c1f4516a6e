package io.momentum.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The deploy and status API ({@code /api/v1}): how long it waits. Its tokens ({@code momentum.api.token},
 * {@code momentum.api.tokens.*}) are service-support's {@code ApiTokensConfig}.
 */
@ConfigMapping(prefix = "momentum.api")
public interface ApiConfig {

    /** How long {@code "wait": true} waits when the request names no timeout. */
    @WithDefault("5m")
    Duration defaultWait();

    /** The longest wait a request may ask for. */
    @WithDefault("30m")
    Duration maxWait();
}
