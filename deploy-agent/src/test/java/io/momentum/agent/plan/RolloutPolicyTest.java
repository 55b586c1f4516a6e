package io.momentum.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Rollout;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: choosing a rollout is a pure function of the configuration. */
class RolloutPolicyTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static RolloutPolicy configured(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PlannerConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return RolloutPolicy.of(config.getConfigMapping(PlannerConfig.class).rollout());
    }

    @Test
    void everyPlanRollsOutImmediatelyUnlessConfigured() {
        RolloutPolicy policy = configured(Map.of());

        assertThat(policy).isEqualTo(RolloutPolicy.IMMEDIATE);
        assertThat(policy.choose("control", "production")).isEqualTo(Rollout.IMMEDIATE);
    }

    @Test
    void theEnvironmentBeatsTheSourceWhichBeatsTheDefault() {
        RolloutPolicy policy = configured(Map.of(
                "momentum.planner.rollout.default", "fleet",
                "momentum.planner.rollout.sources.team", "immediate",
                "momentum.planner.rollout.sources.control", "fleet",
                "momentum.planner.rollout.environments.production", "canary",
                "momentum.planner.rollout.environments.team_sandbox", "fleet"));

        assertThat(policy.choose("control", "production")).isEqualTo(Rollout.CANARY);
        assertThat(policy.choose("team", "team_sandbox")).isEqualTo(Rollout.FLEET);
        assertThat(policy.choose("team", "team_feature")).isEqualTo(Rollout.IMMEDIATE);
        assertThat(policy.choose("other", "feature")).isEqualTo(Rollout.FLEET);
        assertThat(policy.choose(null, "feature")).isEqualTo(Rollout.FLEET);
    }

    @Test
    void anUnknownRolloutFailsNamingTheKeyTheValueAndTheKnownNames() {
        assertThatThrownBy(() -> configured(Map.of("momentum.planner.rollout.sources.control", "flet")))
                .hasMessageContaining("momentum.planner.rollout.sources.control")
                .hasMessageContaining("flet")
                .hasMessageContainingAll("immediate", "fleet", "canary");
        assertThatThrownBy(() -> configured(Map.of("momentum.planner.rollout.default", "slow")))
                .hasMessageContaining("momentum.planner.rollout.default")
                .hasMessageContaining("slow");
    }

    @Test
    void onlyPlannedPlansGetARollout() {
        RolloutPolicy policy = new RolloutPolicy(Rollout.FLEET, Map.of(), Map.of());
        DeployPlan planned = DeployPlan.planned(UUID.randomUUID(), "production", "control", "main", "a".repeat(40),
                List.of(), Rollout.IMMEDIATE, Instant.now());
        DeployPlan absent = DeployPlan.absent(UUID.randomUUID(), "feature", "control", "feature", Instant.now());

        DeployPlan applied = policy.apply(planned);

        assertThat(applied.rollout()).isEqualTo(Rollout.FLEET);
        assertThat(applied).usingRecursiveComparison().ignoringFields("rollout").isEqualTo(planned);
        assertThat(policy.apply(absent)).isSameAs(absent);
    }
}
