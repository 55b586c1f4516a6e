package io.momentum.health.domain;

import static io.momentum.health.domain.FleetFixture.COMMIT_A;
import static io.momentum.health.domain.FleetFixture.COMMIT_B;
import static io.momentum.health.domain.FleetFixture.MODULE_SHA_2;
import static io.momentum.health.domain.FleetFixture.T0;
import static io.momentum.health.domain.FleetFixture.absentPlan;
import static io.momentum.health.domain.FleetFixture.announce;
import static io.momentum.health.domain.FleetFixture.deployed;
import static io.momentum.health.domain.FleetFixture.deployedWithoutDigest;
import static io.momentum.health.domain.FleetFixture.failedPlan;
import static io.momentum.health.domain.FleetFixture.plan;
import static io.momentum.health.domain.FleetFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.PlanStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the whole decision logic runs on an injected clock, without Kafka or HTTP. */
class MonitoredFleetTest {

    private final MutableClock clock = new MutableClock(T0);

    private MonitoredFleet fleet(RoutingPolicy policy, StaticMaster... masters) {
        return new MonitoredFleet(HealthSettings.defaults(), RolloutSettings.defaults(), policy, List.of(masters), clock);
    }

    private void probe(MonitoredFleet fleet, String masterId, boolean healthy, int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(Duration.ofSeconds(2));
            fleet.onProbe(masterId, healthy ? ProbeOutcome.healthy(5, clock.instant())
                    : ProbeOutcome.unhealthy("HTTP 503: error", 7L, clock.instant()));
        }
    }

    private static StaticMaster configured(String id) {
        return new StaticMaster(id, "https://" + id + ".example.net:8140", null, null);
    }

    private MasterStatus status(MonitoredFleet fleet, String id) {
        return fleet.status(id).orElseThrow();
    }

    @Nested
    class RiseAndFall {

        @Test
        void aNewMasterIsNeitherUpNorPublishedBeforeRiseSuccesses() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            probe(fleet, "cm1", true, 1);

            assertThat(status(fleet, "cm1").health()).isEqualTo(Health.DOWN);
            assertThat(status(fleet, "cm1").routable()).isFalse();
            assertThat(status(fleet, "cm1").reason()).contains("not checked yet");
            assertThat(fleet.publications()).isEmpty();

            probe(fleet, "cm1", true, 1);
            MasterStatus up = status(fleet, "cm1");
            assertThat(up.health()).isEqualTo(Health.UP);
            assertThat(up.routable()).isTrue();
            assertThat(up.lbAddress()).isEqualTo("cm1.example.net:8140");
            assertThat(up.role()).isEqualTo(MasterRole.COMPILE);
            assertThat(up.latencyMs()).isEqualTo(5L);
            assertThat(fleet.publications()).extracting(Publication::status).containsExactly(up);
        }

        @Test
        void goesDownAfterFallFailuresAndUpAgainAfterRiseSuccesses() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            probe(fleet, "cm1", true, 2);

            probe(fleet, "cm1", false, 2);
            MasterStatus wobbling = status(fleet, "cm1");
            assertThat(wobbling.health()).isEqualTo(Health.UP);
            assertThat(wobbling.routable()).isTrue();
            assertThat(wobbling.consecutiveFailures()).isEqualTo(2);
            assertThat(wobbling.reason()).contains("last probe failed (2 of 3 before DOWN): HTTP 503: error");

            probe(fleet, "cm1", false, 1);
            MasterStatus down = status(fleet, "cm1");
            assertThat(down.health()).isEqualTo(Health.DOWN);
            assertThat(down.routable()).isFalse();
            assertThat(down.consecutiveFailures()).isEqualTo(3);
            assertThat(down.reason()).isEqualTo("DOWN: HTTP 503: error");

            probe(fleet, "cm1", true, 1);
            assertThat(status(fleet, "cm1").health()).isEqualTo(Health.DOWN);
            assertThat(status(fleet, "cm1").reason()).isEqualTo("DOWN, recovering: 1 of 2 successful probes");

            probe(fleet, "cm1", true, 1);
            assertThat(status(fleet, "cm1").health()).isEqualTo(Health.UP);
            assertThat(status(fleet, "cm1").routable()).isTrue();
        }

        @Test
        void aFailureBetweenSuccessesRestartsTheRiseCount() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            probe(fleet, "cm1", false, 3);
            probe(fleet, "cm1", true, 1);
            probe(fleet, "cm1", false, 1);
            probe(fleet, "cm1", true, 1);

            assertThat(status(fleet, "cm1").health()).isEqualTo(Health.DOWN);
        }

        @Test
        void timeoutMustBeShorterThanTheInterval() {
            assertThatThrownBy(() -> new HealthSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 3,
                    Duration.ofSeconds(30), FlapDamping.off()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than the interval");
        }
    }

    @Nested
    class CodeSync {

        @Test
        void aMasterAtAnotherPlanIsLaggingAndServesStaleByDefault() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"), configured("cm2"));
            DeployPlan production = plan("production", COMMIT_A);
            fleet.onDeployPlan(production);
            fleet.onDeployResult(deployed(production, "cm1"));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);

            assertThat(status(fleet, "cm1").inSync()).isTrue();
            MasterStatus behind = status(fleet, "cm2");
            assertThat(behind.inSync()).isFalse();
            assertThat(behind.laggingEnvironments()).containsExactly("production");
            assertThat(behind.routable()).isTrue();
            assertThat(behind.reason()).contains("serving stale code while catching up: production");
        }

        /** Changed with plans: the reason names the desired plan, no longer the desired commit. */
        @Test
        void strictRoutesOnlyInSyncMasters() {
            MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"), configured("cm2"));
            DeployPlan production = plan("production", COMMIT_A);
            fleet.onDeployPlan(production);
            fleet.onDeployResult(deployed(production, "cm1"));
            fleet.onDeployResult(deployed(plan("production", COMMIT_B), "cm2"));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);

            assertThat(status(fleet, "cm1").routable()).isTrue();
            assertThat(status(fleet, "cm2").routable()).isFalse();
            assertThat(status(fleet, "cm2").reason()).isEqualTo("strict: not at the desired plan in production");

            fleet.onDeployResult(deployed(production, "cm2"));
            assertThat(status(fleet, "cm2").routable()).isTrue();
        }

        @Test
        void strictTakesOutAMasterWithOneModuleAtAnotherSha() {
            MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"), configured("cm2"));
            DeployPlan production = plan("production", COMMIT_A);
            fleet.onDeployPlan(production);
            fleet.onDeployResult(deployed(production, "cm1"));
            fleet.onDeployResult(deployed(plan("production", COMMIT_A, MODULE_SHA_2), "cm2"));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);

            MasterStatus sameCommitOtherModule = status(fleet, "cm2");
            assertThat(sameCommitOtherModule.inSync()).isFalse();
            assertThat(sameCommitOtherModule.laggingEnvironments()).containsExactly("production");
            assertThat(sameCommitOtherModule.routable()).isFalse();
            assertThat(status(fleet, "cm1").routable()).isTrue();
        }

        @Test
        void strictNeverLeavesZeroRoutableWhileSomeAreHealthy() {
            MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"), configured("cm2"), configured("cm3"));
            DeployPlan production = plan("production", COMMIT_A);
            fleet.onDeployPlan(production);
            fleet.onDeployResult(deployed(production, "cm1"));
            probe(fleet, "cm1", false, 3);
            probe(fleet, "cm2", true, 2);
            probe(fleet, "cm3", true, 2);

            assertThat(fleet.statuses()).filteredOn(MasterStatus::routable).extracting(MasterStatus::masterId)
                    .containsExactly("cm2", "cm3");
            assertThat(status(fleet, "cm2").reason()).contains("rather than none");
            assertThat(status(fleet, "cm1").routable()).isFalse();
        }

        @Test
        void anAbsentEnvironmentLagsUntilPurged() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            DeployPlan feature = plan("feature_x", COMMIT_A);
            fleet.onDeployPlan(feature);
            fleet.onDeployResult(deployed(feature, "cm1"));
            fleet.onDeployPlan(absentPlan("feature_x"));

            assertThat(status(fleet, "cm1").laggingEnvironments()).containsExactly("feature_x");

            fleet.onDeployResult(result("cm1", "feature_x", null, DeployStatus.PURGED));
            assertThat(status(fleet, "cm1").inSync()).isTrue();
        }

        @Test
        void aFailedDeployKeepsThePreviousPlan() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            DeployPlan first = plan("production", COMMIT_A);
            fleet.onDeployPlan(first);
            fleet.onDeployResult(deployed(first, "cm1"));
            fleet.onDeployPlan(plan("production", COMMIT_B));
            fleet.onDeployResult(result("cm1", "production", COMMIT_B, DeployStatus.FAILED));

            assertThat(status(fleet, "cm1").laggingEnvironments()).containsExactly("production");
        }

        @Test
        void aFailedPlanChangesNothing() {
            MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"));
            DeployPlan production = plan("production", COMMIT_A);
            fleet.onDeployPlan(production);
            fleet.onDeployResult(deployed(production, "cm1"));
            probe(fleet, "cm1", true, 2);
            fleet.publications();

            fleet.onDeployPlan(failedPlan("production", COMMIT_B));

            assertThat(status(fleet, "cm1").inSync()).isTrue();
            assertThat(fleet.publications()).isEmpty();
        }

        @Test
        void aTombstoneOnThePlansTopicForgetsOnlyItsEnvironment() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            fleet.onDeployPlan(plan("production", COMMIT_A));
            fleet.onDeployPlan(plan("staging", COMMIT_A));

            fleet.onDeployPlanRemoved("staging");
            fleet.onDeployPlanRemoved(null);
            assertThat(status(fleet, "cm1").laggingEnvironments()).containsExactly("production", "staging");

            fleet.onDeployPlanRemoved(DeployPlan.key("staging"));
            assertThat(status(fleet, "cm1").laggingEnvironments()).containsExactly("production");
        }

        @Test
        void theViewShowsEachEnvironmentsDesiredAndDeployedPlanWithTheStatus() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            DeployPlan production = plan("production", COMMIT_A);
            fleet.onDeployPlan(production);
            fleet.onDeployResult(deployedWithoutDigest("cm1", "production", COMMIT_B));

            MasterView view = fleet.view("cm1").orElseThrow();
            assertThat(view.status()).isEqualTo(status(fleet, "cm1"));
            assertThat(view.environments()).containsExactly(new EnvironmentSync("production", PlanStatus.PLANNED,
                    production.digest(), COMMIT_A, null, COMMIT_B, false));
            assertThat(fleet.views()).containsExactly(view);
            assertThat(fleet.view("nobody")).isEmpty();
        }
    }

    @Nested
    class Agents {

        @Test
        void joiningLeavingAndSilentAgentsAreNeverRoutable() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy());
            fleet.onAnnouncement(announce("cm1", MasterState.JOINING, T0));
            fleet.onAnnouncement(announce("cm2", MasterState.LEAVING, T0));
            fleet.onAnnouncement(announce("cm3", MasterState.READY, T0));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);
            probe(fleet, "cm3", true, 2);

            assertThat(status(fleet, "cm1").routable()).isFalse();
            assertThat(status(fleet, "cm1").health()).isEqualTo(Health.UP);
            assertThat(status(fleet, "cm1").reason()).contains("JOINING");
            assertThat(status(fleet, "cm2").routable()).isFalse();
            assertThat(status(fleet, "cm2").draining()).isTrue();
            assertThat(status(fleet, "cm3").routable()).isTrue();

            fleet.onAnnouncement(announce("cm1", MasterState.JOINING, T0).withReason(
                    "cannot list ssh://git@git.example.net/control.git: authentication failed"));
            assertThat(status(fleet, "cm1").reason())
                    .isEqualTo("agent is JOINING: cannot list ssh://git@git.example.net/control.git: authentication failed");

            clock.advance(Duration.ofSeconds(30));
            probe(fleet, "cm3", true, 1);
            assertThat(status(fleet, "cm3").routable()).isFalse();
            assertThat(status(fleet, "cm3").reason()).startsWith("agent silent");

            fleet.onAnnouncement(announce("cm3", MasterState.READY, clock.instant()));
            assertThat(status(fleet, "cm3").routable()).isTrue();
        }

        @Test
        void staticConfigurationWinsOverTheAnnouncementWhereSet() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(),
                    new StaticMaster("cm1", null, "10.0.0.1:8140", MasterRole.MOM));
            fleet.onAnnouncement(announce("cm1", MasterState.READY, T0));

            assertThat(fleet.probeTargets()).containsExactly(new ProbeTarget("cm1", "https://cm1.example.net:8140"));
            assertThat(status(fleet, "cm1").lbAddress()).isEqualTo("10.0.0.1:8140");
            assertThat(status(fleet, "cm1").role()).isEqualTo(MasterRole.MOM);
        }

        @Test
        void decommissionPublishesATombstoneButKeepsStaticMasters() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            fleet.onAnnouncement(announce("cm1", MasterState.READY, T0));
            fleet.onAnnouncement(announce("cm2", MasterState.READY, T0));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);
            fleet.publications();

            fleet.onDecommission("cm1");
            fleet.onDecommission("cm2");

            assertThat(fleet.publications()).containsExactly(new Publication("cm2", null));
            assertThat(fleet.statuses()).extracting(MasterStatus::masterId).containsExactly("cm1");
            assertThat(fleet.probeTargets()).extracting(ProbeTarget::masterId).containsExactly("cm1");
        }
    }

    @Nested
    class Publishing {

        @Test
        void tombstonesStatusesOfMastersNobodyKnowsAnyMore() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            fleet.onStatusRecord("cm1", false);
            fleet.onStatusRecord("removed-from-config", false);
            fleet.onStatusRecord("already-gone", false);
            fleet.onStatusRecord("already-gone", true);

            assertThat(fleet.publications()).containsExactly(new Publication("removed-from-config", null));
            assertThat(fleet.publications()).isEmpty();
        }

        @Test
        void publishesOnChangeAndAgainAfterThePublishInterval() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            probe(fleet, "cm1", true, 2);
            assertThat(fleet.publications()).hasSize(1);

            probe(fleet, "cm1", true, 3);
            assertThat(fleet.publications()).as("latency and time alone are no change").isEmpty();

            probe(fleet, "cm1", false, 1);
            assertThat(fleet.publications()).as("an UP master's first failure is").hasSize(1);

            probe(fleet, "cm1", false, 2);
            assertThat(fleet.publications()).hasSize(1);
            probe(fleet, "cm1", false, 2);
            assertThat(fleet.publications()).as("a DOWN master's growing failure count is not").isEmpty();

            clock.advance(Duration.ofSeconds(30));
            assertThat(fleet.publications()).hasSize(1);
        }

        @Test
        void aFailedWriteIsOfferedAgain() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            probe(fleet, "cm1", true, 2);
            Publication first = fleet.publications().get(0);

            fleet.publicationFailed(first);

            assertThat(fleet.publications()).hasSize(1);
        }
    }

    @Nested
    class Flapping {

        @Test
        void aFlappingMasterIsHeldDownUntilStable() {
            HealthSettings settings = HealthSettings.defaults()
                    .withFlap(new FlapDamping(2, Duration.ofMinutes(5), Duration.ofMinutes(1)));
            MonitoredFleet fleet = new MonitoredFleet(settings, RolloutSettings.defaults(), new ServeStalePolicy(), List.of(configured("cm1")),
                    clock);
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm1", false, 3);
            probe(fleet, "cm1", true, 2);
            assertThat(status(fleet, "cm1").routable()).as("two changes are allowed").isTrue();

            probe(fleet, "cm1", false, 3);
            probe(fleet, "cm1", true, 2);
            MasterStatus held = status(fleet, "cm1");
            assertThat(held.health()).isEqualTo(Health.UP);
            assertThat(held.routable()).isFalse();
            assertThat(held.reason()).startsWith("flapping: 4 health changes within 5m");

            probe(fleet, "cm1", true, 29);
            assertThat(status(fleet, "cm1").routable()).isFalse();
            probe(fleet, "cm1", true, 1);
            assertThat(status(fleet, "cm1").routable()).isTrue();
        }
    }

    @Test
    void replayingTheSameTopicsInAnotherInterleavingGivesEqualStatuses() {
        DeployPlan production = plan("production", COMMIT_A);
        DeployPlan feature = plan("feature", COMMIT_B);
        MonitoredFleet first = fleet(new StrictPolicy(), configured("cm1"));
        MonitoredFleet second = fleet(new StrictPolicy(), configured("cm1"));

        first.onAnnouncement(announce("cm2", MasterState.READY, T0));
        first.onDeployPlan(production);
        first.onDeployPlan(feature);
        first.onDeployResult(deployed(production, "cm1"));
        first.onDeployResult(deployed(feature, "cm1"));
        first.onDeployResult(deployed(production, "cm2"));

        second.onDeployResult(deployed(production, "cm1"));
        second.onDeployResult(deployed(feature, "cm1"));
        second.onDeployResult(deployed(production, "cm2"));
        second.onAnnouncement(announce("cm2", MasterState.READY, T0));
        second.onDeployPlan(production);
        second.onDeployPlan(feature);

        for (MonitoredFleet fleet : List.of(first, second)) {
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);
            clock.advance(Duration.ofSeconds(-8));
        }
        clock.advance(Duration.ofSeconds(8));
        assertThat(second.statuses()).isEqualTo(first.statuses());
        assertThat(second.views()).isEqualTo(first.views());
        assertThat(first.status("cm2").orElseThrow().routable()).isFalse();
    }

    /**
     * The plans, results and masters topics are replayed in many random interleavings, each keeping the order within
     * every topic: plans that replace, fail, roll back, mark absent and are tombstoned; results with and without
     * digests, failed, purged and tombstoned. Every interleaving must give the same statuses and views.
     */
    @Test
    void theOutcomeDependsOnlyOnTheOrderWithinEachTopic() {
        DeployPlan production = plan("production", COMMIT_A);
        DeployPlan productionNext = plan("production", COMMIT_B);
        DeployPlan feature = plan("feature", COMMIT_B);
        DeployPlan temporary = plan("temporary", COMMIT_A);
        List<Consumer<MonitoredFleet>> plans = List.of(
                f -> f.onDeployPlan(production),
                f -> f.onDeployPlan(feature),
                f -> f.onDeployPlan(productionNext),
                f -> f.onDeployPlan(failedPlan("production", COMMIT_A)),
                f -> f.onDeployPlan(plan("legacy", COMMIT_A)),
                f -> f.onDeployPlan(absentPlan("feature")),
                f -> f.onDeployPlan(temporary),
                f -> f.onDeployPlanRemoved(DeployPlan.key("temporary")),
                f -> f.onDeployPlan(production.reactivated(UUID.randomUUID(), T0.plusSeconds(60))));
        List<Consumer<MonitoredFleet>> results = List.of(
                f -> f.onDeployResult(deployed(production, "cm1")),
                f -> f.onDeployResult(deployed(production, "cm2")),
                f -> f.onDeployResult(deployed(feature, "cm1")),
                f -> f.onDeployResult(deployed(productionNext, "cm1")),
                f -> f.onDeployResult(result("cm2", "production", COMMIT_B, DeployStatus.FAILED)),
                f -> f.onDeployResult(deployedWithoutDigest("cm1", "legacy", COMMIT_B)),
                f -> f.onDeployResult(deployedWithoutDigest("cm2", "legacy", COMMIT_A)),
                f -> f.onDeployResult(result("cm1", "feature", null, DeployStatus.PURGED)),
                f -> f.onDeployResult(deployed(temporary, "cm2")),
                f -> f.onDeployResultRemoved(DeployResult.key("cm2", "temporary")),
                f -> f.onDeployResult(deployed(plan("stray", COMMIT_A, MODULE_SHA_2), "cm1")));
        List<Consumer<MonitoredFleet>> masters = List.of(
                f -> f.onAnnouncement(announce("cm2", MasterState.READY, T0)),
                f -> f.onAnnouncement(announce("cm3", MasterState.JOINING, T0)));

        List<Consumer<MonitoredFleet>> topicByTopic = new ArrayList<>(plans);
        topicByTopic.addAll(results);
        topicByTopic.addAll(masters);
        List<MasterView> expected = replayed(topicByTopic);

        assertThat(expected).extracting(view -> view.status().laggingEnvironments()).containsExactly(
                List.of("legacy", "production"), List.of(), List.of("legacy", "production"));
        assertThat(expected).extracting(view -> view.status().routable()).containsExactly(false, true, false);
        Random random = new Random(14);
        for (int run = 0; run < 300; run++) {
            assertThat(replayed(interleave(List.of(plans, results, masters), random)))
                    .as("interleaving %d", run).isEqualTo(expected);
        }
    }

    /** Applies the records to a new strict fleet, probes every master healthy and returns the views at one instant. */
    private List<MasterView> replayed(List<Consumer<MonitoredFleet>> records) {
        MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"));
        records.forEach(record -> record.accept(fleet));
        for (String id : List.of("cm1", "cm2", "cm3")) {
            probe(fleet, id, true, 2);
        }
        List<MasterView> views = fleet.views();
        clock.advance(Duration.ofSeconds(-12));
        return views;
    }

    /** One random merge of the topics that keeps the order within each. */
    private static List<Consumer<MonitoredFleet>> interleave(List<List<Consumer<MonitoredFleet>>> topics,
            Random random) {
        List<Iterator<Consumer<MonitoredFleet>>> pending = new ArrayList<>();
        topics.forEach(topic -> pending.add(topic.iterator()));
        List<Consumer<MonitoredFleet>> merged = new ArrayList<>();
        while (!pending.isEmpty()) {
            Iterator<Consumer<MonitoredFleet>> next = pending.get(random.nextInt(pending.size()));
            merged.add(next.next());
            if (!next.hasNext()) {
                pending.remove(next);
            }
        }
        return merged;
    }
}
