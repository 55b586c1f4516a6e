package io.momentum.service.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits on what an HTTP client may hold on to (header and body sizes are {@code quarkus.http.limits.*}). */
@ConfigMapping(prefix = "momentum.http")
public interface HttpLimitsConfig {

    /**
     * How long a request's body may take to arrive in full, from the moment its headers were read; a slower one
     * (bytes trickled to keep a connection busy) is answered 408 and its connection closed.
     */
    @WithDefault("10s")
    Duration bodyTimeout();
}
