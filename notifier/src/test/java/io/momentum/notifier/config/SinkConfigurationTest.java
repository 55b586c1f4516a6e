package io.momentum.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.notifier.messaging.ReceiverResource;
import io.momentum.notifier.sink.Sink;
import io.momentum.notifier.sink.SinkWorker;
import io.momentum.service.config.Strategies;
import io.momentum.service.tls.TlsContexts;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sinks' choice and settings against the real beans: one per {@code @Identifier}, and every mistake in
 * {@code momentum.notifier.sinks.*} refused at start-up naming the key (never a URL's value).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(ReceiverResource.class)
class SinkConfigurationTest {

    @Inject
    @Any
    Instance<Sink> sinks;

    @Inject
    TlsContexts tls;

    @Test
    void everySinkIsABeanWithItsName() {
        assertThat(Strategies.names(sinks)).containsExactly("foreman", "rocketchat", "slack", "teams", "webhook");
    }

    @Test
    void aWorkingConfigurationStartsOneWorkerPerSinkWithItsFilter() throws Exception {
        Path urlFile = Files.createDirectories(Path.of("target")).resolve("slack-url");
        Files.writeString(urlFile, "https://hooks.slack.com/services/T000/B000/XXXX\n");
        List<SinkWorker> workers = start(Map.of(
                "chat", sink("slack", Optional.empty(), Optional.of(urlFile), Optional.of("deploy, master-left"), true),
                "hook", sink("webhook", Optional.of("http://127.0.0.1:1/hook"), Optional.empty(), Optional.empty(),
                        false)));
        try {
            assertThat(workers).extracting(SinkWorker::name).containsExactly("chat", "hook");
            assertThat(workers.get(0).filter().failuresOnly()).isTrue();
            assertThat(workers.get(0).filter().kinds()).hasSize(2);
        } finally {
            workers.forEach(SinkWorker::close);
        }
    }

    @Test
    void mistakesFailStartUpNamingTheKey() {
        assertThatThrownBy(() -> start(Map.of("x", sink("mattermost", Optional.of("https://chat.example.net/h"),
                Optional.empty(), Optional.empty(), false))))
                .hasMessage("momentum.notifier.sinks.x.type=mattermost is not a notification sink; known: foreman, "
                        + "rocketchat, slack, teams, webhook");
        assertThatThrownBy(() -> start(Map.of("x", sink("slack", Optional.empty(), Optional.empty(), Optional.empty(),
                false))))
                .hasMessage("set exactly one of momentum.notifier.sinks.x.url and momentum.notifier.sinks.x.url-file");
        assertThatThrownBy(() -> start(Map.of("x", sink("slack", Optional.of("hooks.slack.com/services/T/B/secret"),
                Optional.empty(), Optional.empty(), false))))
                .hasMessage("momentum.notifier.sinks.x: the URL must be an http or https URL with a host")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> start(Map.of("x", sink("slack", Optional.of("https://hooks.slack.com/x"),
                Optional.empty(), Optional.of("deploys"), false))))
                .hasMessage("momentum.notifier.sinks.x.events: unknown event kind 'deploys'; known: deploy, "
                        + "master-left, master-rejoined, lb-failed");
        assertThatThrownBy(() -> start(Map.of("x", sink("foreman", Optional.of("https://foreman.example.net"),
                Optional.empty(), Optional.empty(), false))))
                .hasMessage("momentum.notifier.sinks.x.user is required for a foreman sink");
        assertThatThrownBy(() -> start(Map.of("x", sink("slack", Optional.empty(),
                Optional.of(Path.of("target", "no-such-file")), Optional.empty(), false))))
                .hasMessageStartingWith("momentum.notifier.sinks.x.url-file: cannot read target/no-such-file");
    }

    private List<SinkWorker> start(Map<String, NotifierConfig.SinkConfig> configured) {
        return Sinks.start(new Config(configured), sinks, tls, new SimpleMeterRegistry(), sent -> { },
                Clock.systemUTC());
    }

    private static NotifierConfig.SinkConfig sink(String type, Optional<String> url, Optional<Path> urlFile,
            Optional<String> events, boolean failuresOnly) {
        return new SinkSettings(type, url, urlFile, events.map(e -> List.of(e.split(","))), failuresOnly);
    }

    private record SinkSettings(String type, Optional<String> url, Optional<Path> urlFile,
            Optional<List<String>> events, boolean failuresOnly) implements NotifierConfig.SinkConfig {

        @Override
        public Optional<List<String>> environments() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> secretFile() {
            return Optional.empty();
        }

        @Override
        public Optional<String> user() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> passwordFile() {
            return Optional.empty();
        }

        @Override
        public Optional<String> smartProxyId() {
            return Optional.empty();
        }

        @Override
        public Optional<String> tlsConfiguration() {
            return Optional.empty();
        }
    }

    private record Config(Map<String, SinkConfig> sinks) implements NotifierConfig {

        @Override
        public Duration deployTimeout() {
            return Duration.ofMinutes(10);
        }

        @Override
        public Duration replayWindow() {
            return Duration.ofHours(1);
        }

        @Override
        public Delivery delivery() {
            return new Delivery() {
                @Override
                public int maxAttempts() {
                    return 1;
                }

                @Override
                public Duration initialBackoff() {
                    return Duration.ofMillis(10);
                }

                @Override
                public Duration maxBackoff() {
                    return Duration.ofMillis(10);
                }

                @Override
                public Duration timeout() {
                    return Duration.ofSeconds(1);
                }

                @Override
                public int queueSize() {
                    return 10;
                }
            };
        }
    }
}
