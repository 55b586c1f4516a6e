package io.momentum.webhook.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.event.Provider;
import io.momentum.webhook.domain.WebhookSecrets;
import io.momentum.webhook.provider.Parsers;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: reading a provider's keys by its identifier and the start-up warnings need no application. */
class GitProvidersTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    @Test
    void settingsAreReadUnderTheProvidersIdentifier() {
        SmallRyeConfig config = config(Map.of("momentum.webhook.bitbucket-server.secret", "s3cret",
                "momentum.webhook.gogs.enabled", "false", "momentum.webhook.gitea.allow-unverified", "true",
                "momentum.webhook.github.secret", ""));
        assertThat(GitProviders.read(config, "bitbucket-server"))
                .isEqualTo(new GitProviders.Settings(Optional.of("s3cret"), true, false));
        assertThat(GitProviders.read(config, "gogs")).isEqualTo(new GitProviders.Settings(Optional.empty(), false,
                false));
        assertThat(GitProviders.read(config, "gitea")).isEqualTo(new GitProviders.Settings(Optional.empty(), true,
                true));
        assertThat(GitProviders.read(config, "github").secret()).isEmpty();
        assertThat(GitProviders.read(config, "bitbucket-server").toString()).doesNotContain("s3cret");
    }

    @Test
    void aSecretIsFoundAsAnEnvironmentVariable() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(Map.of(
                "MOMENTUM_WEBHOOK_BITBUCKET_SERVER_SECRET", "from-env",
                "MOMENTUM_WEBHOOK_AZURE_DEVOPS_ALLOW_UNVERIFIED", "true"), 300)).build();
        assertThat(GitProviders.read(config, "bitbucket-server").secret()).contains("from-env");
        assertThat(GitProviders.read(config, "azure-devops").allowUnverified()).isTrue();
    }

    private static WebhookConfig.ProviderKeys keys(String secret, boolean enabled, boolean allowUnverified) {
        return new WebhookConfig.ProviderKeys() {
            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public boolean allowUnverified() {
                return allowUnverified;
            }
        };
    }

    @Test
    void aSecretForAProviderThatDoesNotExistFailsStartUp() {
        GitProviders.requireKnown(Map.of("github", keys("s", true, false), "poll", keys(null, false, false)),
                Parsers.all());
        assertThatThrownBy(() -> GitProviders.requireKnown(Map.of("githib", keys("s", true, false)), Parsers.all()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("momentum.webhook.githib.secret")
                .hasMessageContaining("'githib'")
                .hasMessageContaining("[azure-devops, bitbucket, bitbucket-server, gitea, github, gitlab, gogs]");
    }

    @Test
    void unverifiedOptInIsWarnedLoudlyAndAMissingSecretSaysItIsRefused() {
        Map<Provider, GitProviders.Settings> settings = new LinkedHashMap<>();
        settings.put(Provider.GITHUB, new GitProviders.Settings(Optional.of("s"), true, false));
        settings.put(Provider.GOGS, new GitProviders.Settings(Optional.empty(), true, true));
        settings.put(Provider.GITEA, new GitProviders.Settings(Optional.empty(), true, false));
        settings.put(Provider.GITLAB, new GitProviders.Settings(Optional.empty(), false, false));
        GitProviders providers = new GitProviders(Parsers.all(), settings);
        WebhookSecrets secrets = new WebhookSecrets(Map.of(Provider.GITHUB, "s"), Map.of(), Set.of(Provider.GOGS));

        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(WebhookBeans.class.getName());
        logger.addHandler(capture);
        try {
            WebhookBeans.warnAboutVerification(providers, secrets);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(records).allSatisfy(r -> assertThat(r.getLevel().intValue()).isGreaterThanOrEqualTo(
                Level.WARNING.intValue()));
        List<String> messages = records.stream().map(LogRecord::getMessage).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("UNVERIFIED")
                .contains("momentum.webhook.gogs.allow-unverified=true"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("[gitea]").contains("refused"));
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains("github"));
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains("gitlab"));
    }
}
