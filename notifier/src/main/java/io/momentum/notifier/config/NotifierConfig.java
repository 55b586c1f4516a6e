package io.momentum.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code momentum.notifier.*}: what the notifier waits for and where it sends. */
@ConfigMapping(prefix = "momentum.notifier")
public interface NotifierConfig {

    /** How long after a deploy request its message goes out even if some READY masters have not reported. */
    @WithDefault("10m")
    Duration deployTimeout();

    /**
     * How far before its start a restarted notifier still sends what it never sent (what happened while it was down);
     * older facts are history. Keep it below {@code momentum.topics.notifications-retention}.
     */
    @WithDefault("1h")
    Duration replayWindow();

    Delivery delivery();

    /** The sinks by name; none configured: the notifier follows the fleet and sends nothing. */
    Map<String, SinkConfig> sinks();

    /** How every sink is called. */
    interface Delivery {

        /** Calls per notification and receiver, the first included. */
        @WithDefault("6")
        int maxAttempts();

        /** Wait before the second call; doubled before each further one. */
        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** Connect and answer timeout of one call. */
        @WithDefault("10s")
        Duration timeout();

        /** Notifications waiting per sink; when full, new ones are dropped and counted, never blocking. */
        @WithDefault("1000")
        int queueSize();
    }

    /** One receiver. */
    interface SinkConfig {

        /** slack, teams, rocketchat, webhook or foreman. */
        String type();

        /** The webhook URL (Foreman: its base URL). For a URL that embeds a token, prefer {@link #urlFile()}. */
        Optional<String> url();

        /** A file holding the URL, for URLs that are secrets (Slack, Teams, Rocket.Chat embed their token). */
        Optional<Path> urlFile();

        /** Only notifications about these environments (fleet-wide news always passes); empty: all. */
        Optional<List<String>> environments();

        /** Only these kinds: deploy, master-left, master-rejoined, lb-failed; empty: all. */
        Optional<List<String>> events();

        /** Only failures: failed or timed-out deploys, masters leaving, load-balancer failures. */
        @WithDefault("false")
        boolean failuresOnly();

        /** The generic webhook's HMAC-SHA256 key, in a file. */
        Optional<Path> secretFile();

        /** Foreman's API user. */
        Optional<String> user();

        /** Foreman's password or personal access token, in a file. */
        Optional<Path> passwordFile();

        /** Foreman's smart proxy (id or name) with the Puppet feature. */
        Optional<String> smartProxyId();

        /** A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.trust-store.pem.certs=...}). */
        Optional<String> tlsConfiguration();
    }
}
