package io.momentum.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aggregation of a request over the READY masters, timeouts, and fleet-wide news: plain JUnit. */
class FleetNotificationsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    private static final String COMMIT = "c".repeat(40);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private FleetNotifications fleet;

    @BeforeEach
    void twoReadyMastersAndAJoiningOne() {
        fleet = new FleetNotifications(TIMEOUT);
        fleet.onMaster("cm1", announcement("cm1", MasterState.READY));
        fleet.onMaster("cm2", announcement("cm2", MasterState.READY));
        fleet.onMaster("cm3", announcement("cm3", MasterState.JOINING));
    }

    @Test
    void oneMessageOnceEveryReadyMasterReported() {
        DeployRequest request = request("production");
        fleet.onRequest(request);
        fleet.onPlan(plan(request, "production"));
        fleet.onResult(result(request, "cm1", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(2)));
        assertThat(fleet.evaluate(T0.plusSeconds(3))).isEmpty();

        fleet.onResult(result(request, "cm2", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(4)));
        List<Notification> due = fleet.evaluate(T0.plusSeconds(5));

        assertThat(due).singleElement().isInstanceOfSatisfying(DeployFinished.class, done -> {
            assertThat(done.id()).isEqualTo("deploy/" + request.requestId());
            assertThat(done.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
            assertThat(done.failure()).isFalse();
            assertThat(done.environments()).containsExactly("production");
            assertThat(done.deployedEnvironments()).containsExactly("production");
            assertThat(done.masters()).extracting(MasterOutcome::masterId).containsExactly("cm1", "cm2");
            assertThat(done.branch()).isEqualTo("main");
            assertThat(done.provider()).isEqualTo("github");
            assertThat(done.occurredAt()).isEqualTo(T0.plusSeconds(4));
            assertThat(done.title()).isEqualTo("Deployed production on 2 master(s)");
        });
        // Handed out once; a late result of a master that became READY later changes nothing.
        fleet.onMaster("cm3", announcement("cm3", MasterState.READY));
        fleet.onResult(result(request, "cm3", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(30)));
        assertThat(fleet.evaluate(T0.plus(TIMEOUT).plusSeconds(1))).isEmpty();
    }

    @Test
    void aMasterAlreadyAtThePlanReadsAlreadyCurrentNotADeployTime() {
        DeployRequest request = request("production");
        fleet.onRequest(request);
        fleet.onPlan(plan(request, "production"));
        fleet.onResult(result(request, "cm1", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(1)).asUnchanged());
        fleet.onResult(result(request, "cm2", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(2)));

        DeployFinished done = (DeployFinished) fleet.evaluate(T0.plusSeconds(3)).get(0);

        assertThat(done.masters()).extracting(MasterOutcome::unchanged).containsExactly(true, false);
        assertThat(done.details()).contains("cm1 production: SUCCEEDED, already current")
                .anyMatch(line -> line.startsWith("cm2 production: SUCCEEDED in "));
    }

    @Test
    void aStagedResultIsNotAReportAndAFailedMasterFailsTheDeploy() {
        DeployRequest request = request("production");
        fleet.onPlan(plan(request, "production"));
        fleet.onResult(result(request, "cm1", "production", DeployStatus.STAGED, T0.plusSeconds(1)));
        fleet.onResult(result(request, "cm2", "production", DeployStatus.FAILED, T0.plusSeconds(1)));
        assertThat(fleet.evaluate(T0.plusSeconds(2))).isEmpty();

        fleet.onResult(result(request, "cm1", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(3)));
        DeployFinished done = (DeployFinished) fleet.evaluate(T0.plusSeconds(4)).get(0);

        assertThat(done.outcome()).isEqualTo(DeployOutcome.FAILED);
        assertThat(done.failure()).isTrue();
        assertThat(done.details()).contains("cm2 production: FAILED (disk full)");
    }

    @Test
    void aFailedPlanIsReportedAtOnceWithThePlannersError() {
        DeployRequest request = request("production");
        fleet.onRequest(request);
        fleet.onPlan(DeployPlan.failed(request.requestId(), "production", "control", "main", COMMIT,
                "Puppetfile line 3: unexpected ')'", T0.plusSeconds(1)));

        DeployFinished done = (DeployFinished) fleet.evaluate(T0.plusSeconds(2)).get(0);

        assertThat(done.outcome()).isEqualTo(DeployOutcome.FAILED);
        assertThat(done.error()).isEqualTo("Puppetfile line 3: unexpected ')'");
        assertThat(done.environments()).containsExactly("production");
        assertThat(done.masters()).isEmpty();
        assertThat(done.deployedEnvironments()).isEmpty();
    }

    @Test
    void aRequestPlannedAgainAfterItsFailureWasToldIsToldAgainUnderItsOwnId() {
        DeployRequest request = request("production");
        fleet.onRequest(request);
        fleet.onPlan(DeployPlan.failed(request.requestId(), "production", "control", "main", COMMIT,
                "git.example.net: connection refused", T0.plusSeconds(1)));
        DeployFinished failed = (DeployFinished) fleet.evaluate(T0.plusSeconds(2)).get(0);

        // The planner retried once the repository was back: same request, a PLANNED plan, then results.
        fleet.onPlan(DeployPlan.planned(request.requestId(), "production", "control", "main", COMMIT, List.of(),
                Rollout.IMMEDIATE, T0.plusSeconds(20)));
        for (String master : List.of("cm1", "cm2")) {
            fleet.onResult(result(request, master, "production", DeployStatus.SUCCEEDED, T0.plusSeconds(22)));
        }
        DeployFinished deployed = (DeployFinished) fleet.evaluate(T0.plusSeconds(23)).get(0);

        assertThat(failed.outcome()).isEqualTo(DeployOutcome.FAILED);
        assertThat(deployed.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
        assertThat(deployed.id()).isEqualTo("deploy/" + request.requestId() + "/replanned/"
                + T0.plusSeconds(20).toEpochMilli()).isNotEqualTo(failed.id());
        assertThat(deployed.branch()).isEqualTo("main");
    }

    @Test
    void afterTheTimeoutTheSilentMastersAreNamed() {
        DeployRequest request = request("production");
        fleet.onRequest(request);
        fleet.onPlan(plan(request, "production"));
        fleet.onResult(result(request, "cm1", "production", DeployStatus.SUCCEEDED, T0.plusSeconds(2)));
        assertThat(fleet.evaluate(T0.plus(TIMEOUT).minusSeconds(1))).isEmpty();

        DeployFinished done = (DeployFinished) fleet.evaluate(T0.plus(TIMEOUT)).get(0);

        assertThat(done.outcome()).isEqualTo(DeployOutcome.TIMED_OUT);
        assertThat(done.missingMasters()).containsExactly("cm2");
        assertThat(done.occurredAt()).isEqualTo(T0.plus(TIMEOUT));
        assertThat(done.details()).contains("cm2: no report");
    }

    @Test
    void aRequestNothingWasPlannedForSaysNothing() {
        fleet.onRequest(DeployRequest.module("ntp", null, null, Provider.GITHUB, T0));
        assertThat(fleet.evaluate(T0.plus(TIMEOUT).plusSeconds(1))).isEmpty();
    }

    @Test
    void aRequestOverSeveralEnvironmentsWaitsForEachOnEveryMaster() {
        DeployRequest request = DeployRequest.fullSync(Provider.MANUAL, T0);
        fleet.onRequest(request);
        fleet.onPlan(plan(request, "production"));
        fleet.onPlan(plan(request, "staging"));
        for (String master : List.of("cm1", "cm2")) {
            fleet.onResult(result(request, master, "production", DeployStatus.SUCCEEDED, T0.plusSeconds(1)));
        }
        fleet.onResult(result(request, "cm1", "staging", DeployStatus.SUCCEEDED, T0.plusSeconds(1)));
        assertThat(fleet.evaluate(T0.plusSeconds(2))).isEmpty();

        fleet.onResult(result(request, "cm2", "staging", DeployStatus.PURGED, T0.plusSeconds(3)));
        DeployFinished done = (DeployFinished) fleet.evaluate(T0.plusSeconds(4)).get(0);

        assertThat(done.outcome()).isEqualTo(DeployOutcome.SUCCEEDED);
        assertThat(done.environments()).containsExactly("production", "staging");
        assertThat(done.requestKind()).isEqualTo("FULL_SYNC");
    }

    @Test
    void supersededEverywhereIsNotAFailure() {
        DeployRequest request = request("production");
        fleet.onPlan(plan(request, "production"));
        fleet.onResult(result(request, "cm1", "production", DeployStatus.SUPERSEDED, T0.plusSeconds(1)));
        fleet.onResult(result(request, "cm2", "production", DeployStatus.SUPERSEDED, T0.plusSeconds(1)));

        DeployFinished done = (DeployFinished) fleet.evaluate(T0.plusSeconds(2)).get(0);

        assertThat(done.outcome()).isEqualTo(DeployOutcome.SUPERSEDED);
        assertThat(done.failure()).isFalse();
    }

    @Test
    void aMasterLeavingAndRejoiningTheUpstreamIsNewsButItsFirstStatusIsNot() {
        fleet.onStatus(status("cm1", true, T0));
        fleet.onStatus(status("cm1", true, T0.plusSeconds(30)));
        assertThat(fleet.evaluate(T0.plusSeconds(31))).isEmpty();

        fleet.onStatus(status("cm1", false, T0.plusSeconds(40)));
        fleet.onStatus(status("cm1", true, T0.plusSeconds(90)));
        List<Notification> due = fleet.evaluate(T0.plusSeconds(91));

        assertThat(due).extracting(Notification::kind).containsExactly(NotificationKind.MASTER_LEFT,
                NotificationKind.MASTER_REJOINED);
        MasterRoutingChanged left = (MasterRoutingChanged) due.get(0);
        assertThat(left.failure()).isTrue();
        assertThat(left.id()).isEqualTo("master/cm1/left/" + T0.plusSeconds(40).toEpochMilli());
        assertThat(left.details()).contains("reason: probe failed 3 times");
        assertThat(due.get(1).failure()).isFalse();
    }

    @Test
    void onlyARefusedOrFailedLoadBalancerChangeIsNews() {
        fleet.onLbChange(lbChange(LbResult.APPLIED, null, 7));
        fleet.onLbChange(lbChange(LbResult.UNCHANGED, null, 7));
        fleet.onLbChange(lbChange(LbResult.REJECTED, "no routable master: keeping the last good set", 8));

        assertThat(fleet.evaluate(T0)).singleElement().isInstanceOfSatisfying(LoadBalancerFailed.class, lb -> {
            assertThat(lb.title()).isEqualTo("Load balancer lb1 (nginx) rejected a change");
            assertThat(lb.details()).contains("error: no routable master: keeping the last good set");
            assertThat(lb.id()).isEqualTo("lb/lb1/nginx/8/" + T0.toEpochMilli());
        });
    }

    private static DeployRequest request(String environment) {
        return DeployRequest.environment(environment, "main", "control", "https://git.example.net/control.git",
                COMMIT, Provider.GITHUB, T0);
    }

    private static DeployPlan plan(DeployRequest request, String environment) {
        return DeployPlan.planned(request.requestId(), environment, "control", "main", COMMIT, List.of(),
                Rollout.IMMEDIATE, T0.plusMillis(200));
    }

    private static DeployResult result(DeployRequest request, String master, String environment, DeployStatus status,
            Instant finishedAt) {
        return DeployResult.of(request.requestId(), master, environment, COMMIT, status, T0.plusMillis(500),
                finishedAt, null, status == DeployStatus.FAILED ? "disk full" : null);
    }

    private static MasterAnnouncement announcement(String master, MasterState state) {
        return new MasterAnnouncement(master, MasterRole.COMPILE, "https://" + master + ":8140", master + ":8140",
                state, "test", T0, T0, 5000);
    }

    private static MasterStatus status(String master, boolean routable, Instant at) {
        return new MasterStatus(master, MasterRole.COMPILE, master + ":8140", routable ? Health.UP : Health.DOWN,
                true, List.of(), routable, false, routable ? null : "probe failed 3 times", routable ? 0 : 3, 4L, at);
    }

    private static LbConfigApplied lbChange(LbResult result, String error, long revision) {
        return new LbConfigApplied("lb1", "nginx", revision, List.of(new LbBackend("cm1", "cm1:8140", false)),
                result, error, "f".repeat(64), T0);
    }
}
