package io.momentum.health.domain;

import static io.momentum.health.domain.FleetFixture.COMMIT_A;
import static io.momentum.health.domain.FleetFixture.COMMIT_B;
import static io.momentum.health.domain.FleetFixture.MODULE_SHA_2;
import static io.momentum.health.domain.FleetFixture.T0;
import static io.momentum.health.domain.FleetFixture.absentPlan;
import static io.momentum.health.domain.FleetFixture.activation;
import static io.momentum.health.domain.FleetFixture.deployed;
import static io.momentum.health.domain.FleetFixture.deployedWithoutDigest;
import static io.momentum.health.domain.FleetFixture.failedPlan;
import static io.momentum.health.domain.FleetFixture.plan;
import static io.momentum.health.domain.FleetFixture.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Rollout;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Plain JUnit: desired plans against deployed plans, one master and environment at a time. */
class CodeStateTest {

    private final CodeState code = new CodeState();

    @Test
    void aMasterIsInSyncWhenItDeployedThePlanWithTheDesiredDigest() {
        DeployPlan production = plan("production", COMMIT_A);
        code.apply(production);
        code.apply(deployed(production, "cm1"));

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.laggingEnvironments("cm2")).as("nothing deployed yet").containsExactly("production");
    }

    @Test
    void equalDigestsAreInSyncWhateverRequestDeployedThem() {
        DeployPlan first = plan("production", COMMIT_A);
        code.apply(first);
        code.apply(deployed(first, "cm1"));
        DeployPlan second = plan("production", COMMIT_B);
        code.apply(second);
        assertThat(code.laggingEnvironments("cm1")).containsExactly("production");

        code.apply(first.reactivated(UUID.randomUUID(), T0.plusSeconds(60)));

        assertThat(code.laggingEnvironments("cm1")).as("a rollback to the plan the master still serves").isEmpty();
    }

    @Test
    void aModuleAtAnotherShaIsLaggingThoughTheControlCommitIsTheSame() {
        DeployPlan desired = plan("production", COMMIT_A);
        DeployPlan otherModuleSha = plan("production", COMMIT_A, MODULE_SHA_2);
        code.apply(desired);
        code.apply(deployed(desired, "cm1"));
        code.apply(deployed(otherModuleSha, "cm2"));

        assertThat(otherModuleSha.digest()).isNotEqualTo(desired.digest());
        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.laggingEnvironments("cm2")).containsExactly("production");
    }

    @Test
    void anAbsentEnvironmentLagsUntilPurged() {
        DeployPlan feature = plan("feature_x", COMMIT_A);
        code.apply(feature);
        code.apply(deployed(feature, "cm1"));
        code.apply(absentPlan("feature_x"));

        assertThat(code.laggingEnvironments("cm1")).containsExactly("feature_x");
        assertThat(code.laggingEnvironments("cm2")).as("never had it").isEmpty();

        code.apply(result("cm1", "feature_x", null, DeployStatus.PURGED));
        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.environments("cm1")).as("a purged absent environment is not listed").isEmpty();
    }

    @Test
    void aFailedPlanKeepsThePreviousPlanDesired() {
        DeployPlan good = plan("production", COMMIT_A);
        code.apply(good);
        code.apply(deployed(good, "cm1"));
        code.apply(deployedWithoutDigest("cm2", "production", COMMIT_B));

        code.apply(failedPlan("production", COMMIT_B));

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.laggingEnvironments("cm2")).as("the failed plan's commit is not desired")
                .containsExactly("production");
        assertThat(code.environments("cm1")).singleElement().satisfies(row -> {
            assertThat(row.desired()).isEqualTo(PlanStatus.PLANNED);
            assertThat(row.desiredDigest()).isEqualTo(good.digest());
        });
    }

    @Test
    void aFailedPlanAloneIsNotJudged() {
        code.apply(failedPlan("production", COMMIT_A));
        code.apply(deployedWithoutDigest("cm1", "production", COMMIT_B));

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.environments("cm1")).singleElement().satisfies(row -> {
            assertThat(row.desired()).isNull();
            assertThat(row.inSync()).isTrue();
        });
    }

    @Test
    void aFailedPlanKeepsAnAbsentEnvironmentAbsent() {
        code.apply(absentPlan("feature_x"));
        code.apply(failedPlan("feature_x", COMMIT_A));
        code.apply(deployedWithoutDigest("cm1", "feature_x", COMMIT_A));

        assertThat(code.laggingEnvironments("cm1")).containsExactly("feature_x");
    }

    @Test
    void aResultWithoutDigestIsComparedByTheControlCommit() {
        code.apply(plan("production", COMMIT_A));
        code.apply(deployedWithoutDigest("cm1", "production", COMMIT_A));
        code.apply(deployedWithoutDigest("cm2", "production", COMMIT_B));

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.laggingEnvironments("cm2")).containsExactly("production");
    }

    @Test
    void aFailedOrSupersededDeployLeavesThePreviousPlanLive() {
        DeployPlan first = plan("production", COMMIT_A);
        code.apply(first);
        code.apply(deployed(first, "cm1"));
        DeployPlan second = plan("production", COMMIT_B);
        code.apply(second);
        code.apply(result("cm1", "production", COMMIT_B, DeployStatus.FAILED));
        code.apply(result("cm1", "production", COMMIT_B, DeployStatus.SUPERSEDED));

        assertThat(code.laggingEnvironments("cm1")).containsExactly("production");
        assertThat(code.environments("cm1")).singleElement()
                .extracting(EnvironmentSync::deployedDigest).isEqualTo(first.digest());
    }

    @Test
    void aTombstoneOnThePlansTopicForgetsTheEnvironment() {
        code.apply(plan("production", COMMIT_A));
        assertThat(code.laggingEnvironments("cm1")).containsExactly("production");

        code.forgetEnvironment("production");

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.environments("cm1")).isEmpty();
    }

    @Test
    void environmentsShowTheDesiredAndDeployedPlanOfEachEnvironment() {
        DeployPlan production = plan("production", COMMIT_A);
        DeployPlan staging = plan("staging", COMMIT_B);
        DeployPlan stagingBefore = plan("staging", COMMIT_A);
        code.apply(production);
        code.apply(staging);
        code.apply(absentPlan("gone"));
        code.apply(deployed(production, "cm1"));
        code.apply(deployed(stagingBefore, "cm1"));
        code.apply(deployedWithoutDigest("cm1", "gone", COMMIT_A));
        code.apply(deployedWithoutDigest("cm1", "unplanned", COMMIT_B));

        assertThat(code.environments("cm1")).containsExactly(
                new EnvironmentSync("gone", PlanStatus.ABSENT, null, null, null, COMMIT_A, false),
                new EnvironmentSync("production", PlanStatus.PLANNED, production.digest(), COMMIT_A,
                        production.digest(), COMMIT_A, true),
                new EnvironmentSync("staging", PlanStatus.PLANNED, staging.digest(), COMMIT_B,
                        stagingBefore.digest(), COMMIT_A, false),
                new EnvironmentSync("unplanned", null, null, null, null, COMMIT_B, true));
        assertThat(code.environments("cm2")).extracting(EnvironmentSync::environment)
                .containsExactly("production", "staging");
        assertThat(code.environments("cm2")).allSatisfy(row -> {
            assertThat(row.deployedDigest()).isNull();
            assertThat(row.inSync()).isFalse();
        });
    }

    @Test
    void whileAFleetPlanIsStagedEveryMasterShouldServeThePreviousPlan() {
        DeployPlan previous = plan("production", COMMIT_A);
        DeployPlan next = plan("production", COMMIT_B, Rollout.FLEET);
        code.apply(previous);
        code.apply(deployed(previous, "cm1"));
        code.apply(deployed(previous, "cm2"));
        code.apply(next);
        code.apply(staged(next, "cm1"));

        assertThat(code.laggingEnvironments("cm1")).as("staged, not live: still at the previous plan").isEmpty();
        assertThat(code.laggingEnvironments("cm2")).isEmpty();
        assertThat(code.environments("cm1")).singleElement().extracting(EnvironmentSync::desiredDigest)
                .isEqualTo(previous.digest());

        code.apply(activation(next, Activation.Phase.ALL));

        assertThat(code.laggingEnvironments("cm1")).as("activated: must switch").containsExactly("production");
        code.apply(deployed(next, "cm1"));
        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.laggingEnvironments("cm2")).containsExactly("production");
    }

    @Test
    void aCanaryActivationMovesOnlyTheMastersItActivates() {
        DeployPlan previous = plan("production", COMMIT_A);
        DeployPlan next = plan("production", COMMIT_B, Rollout.CANARY);
        code.apply(previous);
        code.apply(deployed(previous, "cm1"));
        code.apply(deployed(previous, "cm2"));
        code.apply(next);
        code.apply(activation(next, Activation.Phase.CANARY, "cm1"));

        assertThat(code.laggingEnvironments("cm1")).containsExactly("production");
        assertThat(code.laggingEnvironments("cm2")).isEmpty();

        code.apply(deployed(next, "cm1"));
        code.apply(activation(next, Activation.Phase.HALTED, "cm1"));

        assertThat(code.laggingEnvironments("cm1")).as("halted: the canary serves a plan nobody should")
                .containsExactly("production");
        assertThat(code.laggingEnvironments("cm2")).isEmpty();
    }

    @Test
    void aRolloutReplacingOneInProgressFallsBackToTheLastFullyActivatedPlan() {
        DeployPlan settled = plan("production", COMMIT_A, Rollout.FLEET);
        DeployPlan abandoned = plan("production", COMMIT_B, Rollout.CANARY);
        DeployPlan next = plan("production", "c".repeat(40), Rollout.FLEET);
        code.apply(settled);
        code.apply(activation(settled, Activation.Phase.ALL));
        code.apply(deployed(settled, "cm1"));
        code.apply(abandoned);
        code.apply(activation(abandoned, Activation.Phase.CANARY, "cm2"));
        code.apply(deployed(abandoned, "cm2"));
        code.apply(next);

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.laggingEnvironments("cm2")).containsExactly("production");
    }

    @Test
    void aFirstPlanRolledOutIsNotJudgedBeforeItIsActivated() {
        DeployPlan first = plan("production", COMMIT_A, Rollout.FLEET);
        code.apply(first);
        code.apply(staged(first, "cm1"));

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
        assertThat(code.environments("cm1")).isEmpty();

        code.apply(activation(first, Activation.Phase.ALL));
        assertThat(code.laggingEnvironments("cm1")).containsExactly("production");
    }

    @Test
    void duringARolloutAResultWithoutDigestIsComparedWithThePreviousPlansCommit() {
        code.apply(plan("production", COMMIT_A));
        code.apply(deployedWithoutDigest("cm1", "production", COMMIT_A));
        code.apply(plan("production", COMMIT_B, Rollout.FLEET));

        assertThat(code.laggingEnvironments("cm1")).isEmpty();
    }

    @Test
    void theActivationsOrderAgainstThePlansDoesNotMatter() {
        DeployPlan previous = plan("production", COMMIT_A);
        DeployPlan next = plan("production", COMMIT_B, Rollout.FLEET);
        CodeState activationFirst = new CodeState();
        activationFirst.apply(activation(next, Activation.Phase.ALL));
        activationFirst.apply(previous);
        activationFirst.apply(next);
        code.apply(previous);
        code.apply(next);
        code.apply(activation(next, Activation.Phase.ALL));

        for (CodeState state : List.of(code, activationFirst)) {
            state.apply(deployed(previous, "cm1"));
            assertThat(state.laggingEnvironments("cm1")).containsExactly("production");
        }
    }

    private static DeployResult staged(DeployPlan plan, String masterId) {
        return DeployResult.of(plan.requestId(), masterId, plan.environment(), plan.commit(), DeployStatus.STAGED,
                T0, T0.plusSeconds(3), null, null).withPlanDigest(plan.digest());
    }
}
