package io.momentum.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.GitRemotesFixture;
import io.momentum.agent.deployer.TestSources;
import io.momentum.git.SourcesConfig;
import io.momentum.shared.event.MasterRole;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed configuration, read by SmallRye Config as Quarkus does, without starting Quarkus. */
class AgentConfigTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(AgentConfig.class)
                .withMapping(DeployConfig.class)
                .withMapping(SourcesConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                // Quarkus's converters: "5s"-style durations, paths.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }

    @Test
    void appliesTheDocumentedDefaults() {
        SmallRyeConfig config = config(Map.of("momentum.agent.master-id", "cm1.example.net"));
        AgentConfig agent = config.getConfigMapping(AgentConfig.class);
        DeployConfig deploy = config.getConfigMapping(DeployConfig.class);

        assertThat(agent.masterId()).isEqualTo("cm1.example.net");
        assertThat(agent.role()).isEqualTo(MasterRole.COMPILE);
        assertThat(agent.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(agent.decommissionOnShutdown()).isFalse();
        assertThat(deploy.backend()).isEqualTo("native");
        assertThat(deploy.environmentsDir()).isEqualTo(Path.of("/etc/puppetlabs/code/environments"));
        assertThat(deploy.maxParallelEnvironments()).isEqualTo(4);
        assertThat(config.getConfigMapping(SourcesConfig.class).sources()).isEmpty();
        assertThat(deploy.r10k().gitProvider()).isEqualTo("rugged");
        assertThat(deploy.keepVersions()).isEqualTo(3);
        assertThat(agent.catchUpRetry()).isEqualTo(Duration.ofSeconds(5));
        assertThat(agent.catchUpRetryMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(deploy.post().flushEnvironmentCache()).isFalse();
        assertThat(deploy.post().command()).isEmpty();
    }

    @Test
    void refusesAMissingOrUnsafeMasterId() {
        assertThatThrownBy(() -> config(Map.of())).hasMessageContaining("momentum.agent.master-id");
        assertThatThrownBy(() -> config(Map.of("momentum.agent.master-id", "../cm1")))
                .hasMessageContaining("momentum.agent.master-id");
        // An unknown backend is refused by the producer, against the backend beans: see DeployerProducerTest.
    }

    @Test
    void keepsAtLeastTheLiveVersion() {
        assertThatThrownBy(() -> config(Map.of("momentum.agent.master-id", "cm1", "momentum.deploy.keep-versions",
                "0"))).hasMessageContaining("momentum.deploy.keep-versions");
    }

    @Test
    void refusesAnUnknownR10kGitProvider() {
        assertThatThrownBy(() -> config(Map.of("momentum.agent.master-id", "cm1",
                "momentum.deploy.r10k.git-provider", "libssh")))
                .hasMessageContaining("momentum.deploy.r10k.git-provider").hasMessageContaining("rugged or shellgit");
    }

    @Test
    void mapsSourcesWithR10kPrefixRulesAndChoosesTheBackend(@TempDir Path tmp) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "momentum.agent.master-id", "cm1",
                "momentum.deploy.backend", "g10k",
                "momentum.sources.control.remote", "https://git.example.net/control.git",
                "momentum.sources.team.remote", "https://git.example.net/team.git",
                "momentum.sources.team.prefix", "true",
                "momentum.sources.ops.remote", "https://git.example.net/ops.git",
                "momentum.sources.ops.prefix", "infra",
                "momentum.sources.legacy.remote", "https://git.example.net/legacy.git",
                "momentum.sources.legacy.prefix", "false"));
        properties.put("momentum.deploy.post.command", "/usr/local/bin/notify,{environment}");
        SmallRyeConfig config = config(properties);
        DeployConfig deploy = config.getConfigMapping(DeployConfig.class);

        assertThat(config.getConfigMapping(SourcesConfig.class).sources()).containsExactly(
                TestSources.source("control", "https://git.example.net/control.git", null),
                TestSources.source("legacy", "https://git.example.net/legacy.git", null),
                TestSources.source("ops", "https://git.example.net/ops.git", "infra"),
                TestSources.source("team", "https://git.example.net/team.git", "team"));
        DeployerSettings settings = DeployerProducer.settings(deploy,
                config.getConfigMapping(SourcesConfig.class).sources(), GitRemotesFixture.plain(tmp));
        assertThat(deploy.backend()).isEqualTo("g10k");
        assertThat(settings.executable()).isEqualTo("g10k");
        assertThat(deploy.post().command()).contains(java.util.List.of("/usr/local/bin/notify", "{environment}"));
    }
}
