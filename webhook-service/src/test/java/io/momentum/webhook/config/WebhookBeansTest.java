package io.momentum.webhook.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.git.SourcesConfig;
import io.momentum.shared.source.Source;
import io.momentum.webhook.domain.ControlSources;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sources the service starts with, from the keys every agent reads too. */
class WebhookBeansTest {

    private static ControlSources sources(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SourcesConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return new WebhookBeans().sources(config.getConfigMapping(SourcesConfig.class), config);
    }

    @Test
    void theSharedSourceKeysAreRead() {
        ControlSources sources = sources(Map.of(
                "momentum.sources.control.remote", "git@git.example.net:puppet/control.git",
                "momentum.sources.control.repository", "puppet/control",
                "momentum.sources.control.ignore", "wip/.*",
                "momentum.sources.control.environments.main", "production"));
        assertThat(sources.all()).singleElement().satisfies(source -> {
            assertThat(source.name()).isEqualTo("control");
            assertThat(source.repository()).contains("puppet/control");
            assertThat(source.forBranch("main"))
                    .isEqualTo(new Source.Decision.Deploy("production", "main", Optional.empty()));
            assertThat(source.forBranch("wip/x")).isInstanceOf(Source.Decision.Skip.class);
        });
    }

    @Test
    void withoutASourceStartUpFailsNamingTheKeys() {
        assertThatThrownBy(() -> sources(Map.of())).hasMessageContaining("no control repository is configured")
                .hasMessageContaining("momentum.sources.<name>.remote");
    }

    @Test
    void theFormerWebhookOnlyKeysFailStartUpNamingTheirNewName() {
        assertThatThrownBy(() -> sources(Map.of(
                "momentum.sources.control.remote", "file:///srv/git/control.git",
                "momentum.webhook.sources.control.repository", "local/control")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("momentum.webhook.sources.control.repository is no longer read")
                .hasMessageContaining("rename it to momentum.sources.control.repository");
    }

    @Test
    void aBrokenPatternFailsStartUpNamingItsSource() {
        assertThatThrownBy(() -> sources(Map.of(
                "momentum.sources.control.remote", "file:///srv/git/control.git",
                "momentum.sources.control.allow", "feature/(")))
                .hasMessageContaining("momentum.sources.control")
                .hasMessageContaining("feature/(");
    }
}
