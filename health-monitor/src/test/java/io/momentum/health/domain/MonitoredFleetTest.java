package io.momentum.health.domain;

import static io.momentum.health.domain.FleetFixture.COMMIT_A;
import static io.momentum.health.domain.FleetFixture.COMMIT_B;
import static io.momentum.health.domain.FleetFixture.T0;
import static io.momentum.health.domain.FleetFixture.announce;
import static io.momentum.health.domain.FleetFixture.deployed;
import static io.momentum.health.domain.FleetFixture.push;
import static io.momentum.health.domain.FleetFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the whole decision logic runs on an injected clock, without Kafka or HTTP. */
class MonitoredFleetTest {

    private final MutableClock clock = new MutableClock(T0);

    private MonitoredFleet fleet(RoutingPolicy policy, StaticMaster... masters) {
        return new MonitoredFleet(HealthSettings.defaults(), policy, List.of(masters), clock);
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
        void aMasterBehindTheDesiredCommitIsLaggingAndServesStaleByDefault() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"), configured("cm2"));
            DeployRequest production = push("production", COMMIT_A);
            fleet.onDeployRequest(production);
            fleet.onDeployResult(deployed(production, "cm1", COMMIT_A));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);

            assertThat(status(fleet, "cm1").inSync()).isTrue();
            MasterStatus behind = status(fleet, "cm2");
            assertThat(behind.inSync()).isFalse();
            assertThat(behind.laggingEnvironments()).containsExactly("production");
            assertThat(behind.routable()).isTrue();
            assertThat(behind.reason()).contains("serving stale code while catching up: production");
        }

        @Test
        void strictRoutesOnlyInSyncMasters() {
            MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"), configured("cm2"));
            DeployRequest production = push("production", COMMIT_A);
            fleet.onDeployRequest(production);
            fleet.onDeployResult(deployed(production, "cm1", COMMIT_A));
            fleet.onDeployResult(deployed(production, "cm2", COMMIT_B));
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);

            assertThat(status(fleet, "cm1").routable()).isTrue();
            assertThat(status(fleet, "cm2").routable()).isFalse();
            assertThat(status(fleet, "cm2").reason()).isEqualTo("strict: behind the desired commit in production");

            fleet.onDeployResult(deployed(production, "cm2", COMMIT_A));
            assertThat(status(fleet, "cm2").routable()).isTrue();
        }

        @Test
        void strictNeverLeavesZeroRoutableWhileSomeAreHealthy() {
            MonitoredFleet fleet = fleet(new StrictPolicy(), configured("cm1"), configured("cm2"), configured("cm3"));
            DeployRequest production = push("production", COMMIT_A);
            fleet.onDeployRequest(production);
            fleet.onDeployResult(deployed(production, "cm1", COMMIT_A));
            probe(fleet, "cm1", false, 3);
            probe(fleet, "cm2", true, 2);
            probe(fleet, "cm3", true, 2);

            assertThat(fleet.statuses()).filteredOn(MasterStatus::routable).extracting(MasterStatus::masterId)
                    .containsExactly("cm2", "cm3");
            assertThat(status(fleet, "cm2").reason()).contains("rather than none");
            assertThat(status(fleet, "cm1").routable()).isFalse();
        }

        @Test
        void aDeletedBranchLagsUntilPurged() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            DeployRequest feature = push("feature_x", COMMIT_A);
            fleet.onDeployRequest(feature);
            fleet.onDeployResult(deployed(feature, "cm1", COMMIT_A));
            fleet.onDeployRequest(push("feature_x", null).withDeleted(true));

            assertThat(status(fleet, "cm1").laggingEnvironments()).containsExactly("feature_x");

            fleet.onDeployResult(result("cm1", "feature_x", null, DeployStatus.PURGED));
            assertThat(status(fleet, "cm1").inSync()).isTrue();
        }

        @Test
        void aFailedDeployKeepsThePreviousCommit() {
            MonitoredFleet fleet = fleet(new ServeStalePolicy(), configured("cm1"));
            DeployRequest first = push("production", COMMIT_A);
            fleet.onDeployRequest(first);
            fleet.onDeployResult(deployed(first, "cm1", COMMIT_A));
            fleet.onDeployRequest(push("production", COMMIT_B));
            fleet.onDeployResult(result("cm1", "production", COMMIT_B, DeployStatus.FAILED));

            assertThat(status(fleet, "cm1").laggingEnvironments()).containsExactly("production");
        }

        @Test
        void aRequestWithoutCommitTakesTheCommitTheFirstMasterDeployedInEitherOrder() {
            DeployRequest manual = push("production", null);
            MonitoredFleet requestFirst = fleet(new ServeStalePolicy(), configured("cm1"), configured("cm2"));
            requestFirst.onDeployRequest(manual);
            requestFirst.onDeployResult(deployed(manual, "cm1", COMMIT_A));
            MonitoredFleet resultFirst = fleet(new ServeStalePolicy(), configured("cm1"), configured("cm2"));
            resultFirst.onDeployResult(deployed(manual, "cm1", COMMIT_A));
            resultFirst.onDeployRequest(manual);

            for (MonitoredFleet fleet : List.of(requestFirst, resultFirst)) {
                assertThat(status(fleet, "cm1").inSync()).isTrue();
                assertThat(status(fleet, "cm2").laggingEnvironments()).containsExactly("production");
            }
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
            MonitoredFleet fleet = new MonitoredFleet(settings, new ServeStalePolicy(), List.of(configured("cm1")),
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
        DeployRequest production = push("production", COMMIT_A);
        DeployRequest feature = push("feature", COMMIT_B);
        MonitoredFleet first = fleet(new StrictPolicy(), configured("cm1"));
        MonitoredFleet second = fleet(new StrictPolicy(), configured("cm1"));

        first.onAnnouncement(announce("cm2", MasterState.READY, T0));
        first.onDeployRequest(production);
        first.onDeployRequest(feature);
        first.onDeployResult(deployed(production, "cm1", COMMIT_A));
        first.onDeployResult(deployed(feature, "cm1", COMMIT_B));
        first.onDeployResult(deployed(production, "cm2", COMMIT_A));

        second.onDeployResult(deployed(production, "cm1", COMMIT_A));
        second.onDeployResult(deployed(feature, "cm1", COMMIT_B));
        second.onDeployResult(deployed(production, "cm2", COMMIT_A));
        second.onAnnouncement(announce("cm2", MasterState.READY, T0));
        second.onDeployRequest(production);
        second.onDeployRequest(feature);

        for (MonitoredFleet fleet : List.of(first, second)) {
            probe(fleet, "cm1", true, 2);
            probe(fleet, "cm2", true, 2);
            clock.advance(Duration.ofSeconds(-8));
        }
        clock.advance(Duration.ofSeconds(8));
        assertThat(second.statuses()).isEqualTo(first.statuses());
        assertThat(first.status("cm2").orElseThrow().routable()).isFalse();
    }
}
