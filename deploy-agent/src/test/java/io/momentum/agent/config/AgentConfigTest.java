package io.momentum.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.domain.ControlSource;
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

/** The typed configuration, read by SmallRye Config as Quarkus does, without starting Quarkus. */
class AgentConfigTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(AgentConfig.class)
                .withMapping(DeployConfig.class)
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
        assertThat(deploy.sources()).isEmpty();
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
    void mapsSourcesWithR10kPrefixRulesAndChoosesTheBackend() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "momentum.agent.master-id", "cm1",
                "momentum.deploy.backend", "g10k",
                "momentum.deploy.sources.control.remote", "https://git.example.net/control.git",
                "momentum.deploy.sources.team.remote", "https://git.example.net/team.git",
                "momentum.deploy.sources.team.prefix", "true",
                "momentum.deploy.sources.ops.remote", "https://git.example.net/ops.git",
                "momentum.deploy.sources.ops.prefix", "infra",
                "momentum.deploy.sources.legacy.remote", "https://git.example.net/legacy.git",
                "momentum.deploy.sources.legacy.prefix", "false"));
        properties.put("momentum.deploy.post.command", "/usr/local/bin/notify,{environment}");
        DeployConfig deploy = config(properties).getConfigMapping(DeployConfig.class);

        assertThat(DeployerProducer.controlSources(deploy)).containsExactly(
                new ControlSource("control", "https://git.example.net/control.git", null),
                new ControlSource("legacy", "https://git.example.net/legacy.git", null),
                new ControlSource("ops", "https://git.example.net/ops.git", "infra"),
                new ControlSource("team", "https://git.example.net/team.git", "team"));
        DeployerSettings settings = DeployerProducer.settings(deploy);
        assertThat(deploy.backend()).isEqualTo("g10k");
        assertThat(settings.executable()).isEqualTo("g10k");
        assertThat(deploy.post().command()).contains(java.util.List.of("/usr/local/bin/notify", "{environment}"));
    }
}
