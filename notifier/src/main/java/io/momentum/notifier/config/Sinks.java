package io.momentum.notifier.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.notifier.domain.NotificationKind;
import io.momentum.notifier.domain.RetryPolicy;
import io.momentum.notifier.domain.SinkFilter;
import io.momentum.notifier.sink.Sink;
import io.momentum.notifier.sink.SinkSettings;
import io.momentum.notifier.sink.SinkWorker;
import io.momentum.service.config.Strategies;
import io.momentum.service.tls.TlsContexts;
import io.momentum.shared.event.NotificationSent;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns {@code momentum.notifier.sinks.*} into running {@link SinkWorker}s: each sink's implementation chosen by its
 * {@code type} through {@link Strategies}, its secrets read from their files, its filter and HTTP client (with the
 * named TLS configuration) built. Anything wrong fails start-up with the key to fix.
 */
public final class Sinks {

    private static final Logger LOG = Logger.getLogger(Sinks.class);

    private Sinks() {
    }

    public static List<SinkWorker> start(NotifierConfig config, Instance<Sink> implementations,
            TlsContexts tls, MeterRegistry meters, Consumer<NotificationSent> recorder, Clock clock) {
        NotifierConfig.Delivery delivery = config.delivery();
        RetryPolicy policy = new RetryPolicy(delivery.maxAttempts(), delivery.initialBackoff(),
                delivery.maxBackoff());
        List<SinkWorker> workers = new ArrayList<>();
        for (Map.Entry<String, NotifierConfig.SinkConfig> entry : new TreeMap<>(config.sinks()).entrySet()) {
            String name = entry.getKey();
            NotifierConfig.SinkConfig sinkConfig = entry.getValue();
            String key = "momentum.notifier.sinks." + name;
            Sink sink = Strategies.choose(implementations, key + ".type", sinkConfig.type(), "notification sink");
            SinkSettings settings = new SinkSettings(name, sinkConfig.type(), url(sinkConfig, key),
                    sinkConfig.secretFile().map(file -> read(file, key + ".secret-file")), sinkConfig.user(),
                    sinkConfig.passwordFile().map(file -> read(file, key + ".password-file")),
                    sinkConfig.smartProxyId());
            sink.check(settings);
            if ("webhook".equals(sinkConfig.type()) && settings.secret().isEmpty()) {
                LOG.warnf("%s has no secret-file: its deliveries are not signed and receivers cannot verify them",
                        key);
            }
            HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(delivery.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER);
            sinkConfig.tlsConfiguration().ifPresent(named -> http.sslContext(tls.required(named, key)));
            workers.add(new SinkWorker(sink, settings, filter(sinkConfig, key), policy, delivery.timeout(),
                    delivery.queueSize(), http.build(), meters, recorder, clock).start());
            LOG.infof("notifying %s (%s)", name, sinkConfig.type());
        }
        return List.copyOf(workers);
    }

    static SinkFilter filter(NotifierConfig.SinkConfig sinkConfig, String key) {
        Set<NotificationKind> kinds;
        try {
            kinds = sinkConfig.events().orElse(List.of()).stream().map(NotificationKind::fromConfigName)
                    .collect(Collectors.toSet());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ".events: " + e.getMessage(), e);
        }
        Set<String> environments = sinkConfig.environments().orElse(List.of()).stream().map(String::trim)
                .filter(env -> !env.isEmpty()).collect(Collectors.toSet());
        return new SinkFilter(environments, kinds, sinkConfig.failuresOnly());
    }

    private static URI url(NotifierConfig.SinkConfig sinkConfig, String key) {
        if (sinkConfig.url().isPresent() == sinkConfig.urlFile().isPresent()) {
            throw new IllegalStateException("set exactly one of " + key + ".url and " + key + ".url-file");
        }
        String url = sinkConfig.url().orElseGet(() -> read(sinkConfig.urlFile().orElseThrow(), key + ".url-file"));
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            // The URL may embed a token: the message names the key, never the value.
            throw new IllegalStateException(key + ": the URL is not a valid URI", e);
        }
        if (!Optional.ofNullable(uri.getScheme()).filter(s -> s.equals("https") || s.equals("http")).isPresent()
                || uri.getHost() == null) {
            throw new IllegalStateException(key + ": the URL must be an http or https URL with a host");
        }
        return uri;
    }

    /** A secret from its file, without the trailing newline editors add. */
    private static String read(Path file, String key) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException(key + ": " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalStateException(key + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
