package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DeployStateTest {

    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final DeployState state = new DeployState();

    static MasterAnnouncement master(String id, MasterState s) {
        return new MasterAnnouncement(id, MasterRole.COMPILE, "https://" + id + ":8140", id + ":8140", s, "1",
                NOW, NOW, 10_000);
    }

    static DeployResult result(DeployRequest request, String master, DeployStatus status) {
        return DeployResult.of(request.requestId(), master, request.environment(), SHA, status, NOW, NOW,
                ModuleCounts.NONE, null);
    }

    /** A plan of production at the n-th commit, with one git module at the n-th commit of its own. */
    static DeployPlan plan(int n) {
        return DeployPlan.planned(UUID.randomUUID(), "production", "puppet", "main", sha(n),
                List.of(new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT,
                        "https://git.example.net/stdlib.git", "main", sha(1000 + n), null, false)),
                Rollout.IMMEDIATE, NOW.plusSeconds(n));
    }

    static String sha(int n) {
        return String.format("%040x", n);
    }

    static DeployResult deployed(DeployPlan plan, String master) {
        return DeployResult.of(plan.requestId(), master, plan.environment(), plan.commit(), DeployStatus.SUCCEEDED,
                NOW, NOW, ModuleCounts.NONE, null).withPlanDigest(plan.digest());
    }

    private DeployPlan chosen(PlanChoice choice) {
        assertThat(choice).isInstanceOf(PlanChoice.Chosen.class);
        return ((PlanChoice.Chosen) choice).plan();
    }

    @Test
    void waitEndsWhenEveryReadyMasterReported() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        state.onMaster("cm3", master("cm3", MasterState.JOINING));
        DeployRequest request = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.MANUAL, NOW);
        state.onRequest(request);
        CompletableFuture<Void> done = state.awaitResults(Set.of(request.requestId()));
        state.onResult(result(request, "cm1", DeployStatus.SUCCEEDED));
        assertThat(done).isNotDone();
        assertThat(state.request(request.requestId()).orElseThrow().pendingMasters()).containsExactly("cm2");
        state.onResult(result(request, "cm2", DeployStatus.FAILED));
        assertThat(done).isDone();
        assertThat(state.request(request.requestId()).orElseThrow().results()).hasSize(2);
    }

    @Test
    void aMasterThatLeavesNoLongerHoldsTheWait() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        DeployRequest request = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.MANUAL, NOW);
        CompletableFuture<Void> done = state.awaitResults(Set.of(request.requestId()));
        state.onResult(result(request, "cm1", DeployStatus.SUCCEEDED));
        state.onMaster("cm2", null);
        assertThat(done).isDone();
    }

    @Test
    void environmentMatrixComparesDesiredAndDeployed() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        DeployRequest request = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.GITHUB, NOW);
        state.onRequest(request);
        state.onResult(result(request, "cm1", DeployStatus.SUCCEEDED));
        assertThat(state.environments()).singleElement().satisfies(row -> {
            assertThat(row.desiredCommit()).isEqualTo(SHA);
            assertThat(row.masters()).extracting(DeployState.MasterCell::inSync).containsExactly(true, false);
        });
    }

    @Test
    void recentDeploysAreNewestFirstAndFilteredByTheEnvironmentTheyReached() {
        DeployRequest production = DeployRequest.environment("production", "production", "puppet", null, SHA,
                Provider.GITHUB, NOW);
        DeployRequest feature = DeployRequest.environment("feature_x", "feature/x", "puppet", null, SHA,
                Provider.GITHUB, NOW.plusSeconds(1));
        DeployRequest fullSync = DeployRequest.fullSync(Provider.MANUAL, NOW.plusSeconds(2));
        DeployPlan rollback = plan(7).reactivated(UUID.randomUUID(), NOW.plusSeconds(3));
        state.onRequest(feature);
        state.onRequest(production);
        state.onRequest(fullSync);
        state.onPlan(rollback);
        state.onResult(DeployResult.of(fullSync.requestId(), "cm1", "production", SHA, DeployStatus.SUCCEEDED, NOW,
                NOW, ModuleCounts.NONE, null));

        assertThat(state.recent(Optional.empty(), 10)).extracting(DeployState.RequestView::requestId)
                .containsExactly(rollback.requestId(), fullSync.requestId(), feature.requestId(),
                        production.requestId());
        assertThat(state.recent(Optional.of("production"), 10)).extracting(DeployState.RequestView::requestId)
                .containsExactly(rollback.requestId(), fullSync.requestId(), production.requestId());
        assertThat(state.recent(Optional.of("production"), 2)).hasSize(2);
        assertThat(state.recent(Optional.of("nowhere"), 10)).isEmpty();
    }

    @Test
    void historyKeepsTheLastTenDistinctPlansNewestFirst() {
        DeployPlan first = plan(1);
        state.onPlan(first);
        for (int n = 2; n <= 12; n++) {
            state.onPlan(plan(n));
        }
        // The same content planned again (a push of the same commit) is one entry, moved to the front.
        DeployPlan again = DeployPlan.planned(UUID.randomUUID(), "production", "puppet", "main", sha(5),
                plan(5).modules(), Rollout.IMMEDIATE, NOW.plusSeconds(13));
        state.onPlan(again);
        state.onPlan(DeployPlan.failed(UUID.randomUUID(), "production", "puppet", "main", sha(14), "no Puppetfile",
                NOW.plusSeconds(14)));

        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.history()).hasSize(EnvironmentPlans.KEPT_PLANS);
        assertThat(row.history()).extracting(DeployState.PlanEntry::commit)
                .containsExactly(sha(5), sha(12), sha(11), sha(10), sha(9), sha(8), sha(7), sha(6), sha(4), sha(3));
        assertThat(row.history().get(0).requestId()).isEqualTo(again.requestId());
        assertThat(state.rollbackTarget("production", Optional.of(first.digest())))
                .isInstanceOf(PlanChoice.Unknown.class);
    }

    @Test
    void aFailedPlanLeavesTheDesiredPlanAndIsShownBesideIt() {
        DeployPlan good = plan(1);
        state.onPlan(good);
        DeployPlan failed = DeployPlan.failed(UUID.randomUUID(), "production", "puppet", "main", sha(2),
                "Puppetfile line 3: module stdlib: ref nope not found", NOW.plusSeconds(2));
        state.onPlan(failed);
        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.plan().digest()).isEqualTo(good.digest());
        assertThat(row.plan().modules()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(PlannedModule.Type.GIT);
            assertThat(m.version()).isEqualTo("main");
            assertThat(m.sha()).isEqualTo(sha(1001));
        });
        assertThat(row.failedPlan().status()).isEqualTo(PlanStatus.FAILED);
        assertThat(row.failedPlan().error()).contains("ref nope not found");

        state.onPlan(plan(3));
        assertThat(state.environments().get(0).failedPlan()).isNull();
    }

    @Test
    void rollbackChoosesTheNewestOtherPlanOrTheNamedOne() {
        DeployPlan one = plan(1);
        DeployPlan two = plan(2);
        DeployPlan three = plan(3);
        state.onPlan(one);
        state.onPlan(two);
        state.onPlan(three);

        assertThat(chosen(state.rollbackTarget("production", Optional.empty())).digest()).isEqualTo(two.digest());
        assertThat(chosen(state.rollbackTarget("production", Optional.of(one.digest()))).requestId())
                .isEqualTo(one.requestId());
        assertThat(state.rollbackTarget("production", Optional.of(three.digest())))
                .isInstanceOfSatisfying(PlanChoice.Refused.class,
                        r -> assertThat(r.reason()).contains("already the desired plan"));
        assertThat(state.rollbackTarget("production", Optional.of(sha(7) + sha(7).substring(0, 24))))
                .isInstanceOf(PlanChoice.Unknown.class);
        assertThat(state.rollbackTarget("staging", Optional.empty())).isInstanceOfSatisfying(PlanChoice.Unknown.class,
                u -> assertThat(u.reason()).isEqualTo("environment staging has no plan"));

        // Rolled back to two: pinned, and the next rollback without a digest goes back to three.
        state.onPlan(two.reactivated(UUID.randomUUID(), NOW.plusSeconds(4)));
        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.plan().digest()).isEqualTo(two.digest());
        assertThat(row.plan().pinned()).isTrue();
        assertThat(row.history()).extracting(DeployState.PlanEntry::digest)
                .containsExactly(two.digest(), three.digest(), one.digest());
        assertThat(chosen(state.rollbackTarget("production", Optional.empty())).digest()).isEqualTo(three.digest());
    }

    @Test
    void nothingToRollBackToWithASinglePlan() {
        state.onPlan(plan(1));
        assertThat(state.rollbackTarget("production", Optional.empty())).isInstanceOf(PlanChoice.Refused.class);
    }

    @Test
    void onlyAPinnedPlanCanBeUnpinned() {
        assertThat(state.pinnedPlan("production")).isInstanceOf(PlanChoice.Unknown.class);
        DeployPlan one = plan(1);
        state.onPlan(one);
        state.onPlan(plan(2));
        assertThat(state.pinnedPlan("production")).isInstanceOfSatisfying(PlanChoice.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("environment production is not pinned"));
        DeployPlan rollback = one.reactivated(UUID.randomUUID(), NOW.plusSeconds(3));
        state.onPlan(rollback);
        assertThat(chosen(state.pinnedPlan("production")).requestId()).isEqualTo(rollback.requestId());
    }

    @Test
    void aFailedPlanCompletesItsRequestAtOnceWithThePlannersError() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        DeployRequest request = DeployRequest.environment("production", "main", "puppet", null, null,
                Provider.GITHUB, NOW);
        state.onRequest(request);
        CompletableFuture<Void> done = state.awaitResults(Set.of(request.requestId()));
        assertThat(state.request(request.requestId()).orElseThrow().pendingMasters()).containsExactly("cm1");

        state.onPlan(DeployPlan.failed(request.requestId(), "production", "puppet", "main", SHA,
                "Puppetfile line 2: forge module puppetlabs-nope: no such module", NOW));
        assertThat(done).isDone();
        DeployState.RequestView view = state.request(request.requestId()).orElseThrow();
        assertThat(view.complete()).isTrue();
        assertThat(view.pendingMasters()).isEmpty();
        assertThat(view.error()).isEqualTo("Puppetfile line 2: forge module puppetlabs-nope: no such module");
        assertThat(view.plans()).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(PlanStatus.FAILED));
    }

    @Test
    void inSyncComparesPlanDigestsAndFallsBackToTheCommit() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        state.onMaster("cm3", master("cm3", MasterState.READY));
        DeployPlan plan = plan(1);
        // Same control commit, one module at another SHA: another digest, not in sync.
        DeployPlan otherModule = DeployPlan.planned(UUID.randomUUID(), "production", "puppet", "main", sha(1),
                List.of(new PlannedModule("stdlib", "modules/stdlib", PlannedModule.Type.GIT,
                        "https://git.example.net/stdlib.git", "main", sha(4242), null, false)),
                Rollout.IMMEDIATE, NOW);
        state.onPlan(otherModule);
        state.onPlan(plan);
        state.onResult(deployed(plan, "cm1"));
        state.onResult(deployed(otherModule, "cm2"));
        state.onResult(DeployResult.of(plan.requestId(), "cm3", "production", plan.commit(), DeployStatus.SUCCEEDED,
                NOW, NOW, ModuleCounts.NONE, null));

        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.masters()).extracting(DeployState.MasterCell::masterId, DeployState.MasterCell::deployedDigest,
                DeployState.MasterCell::inSync).containsExactly(
                        tuple("cm1", plan.digest(), true),
                        tuple("cm2", otherModule.digest(), false),
                        tuple("cm3", null, true));
        assertThat(state.request(plan.requestId()).orElseThrow().results())
                .extracting(DeployState.MasterResult::planDigest).containsExactly(plan.digest(), null);
    }

    @Test
    void aPublishedPlanReadBackAlreadyIsNotAppliedAgain() {
        DeployPlan one = plan(1);
        DeployPlan two = plan(2);
        state.onPlan(one);
        state.onPlan(two);
        DeployPlan rollback = one.reactivated(UUID.randomUUID(), NOW.plusSeconds(3));
        // The reader got the rollback and a push's plan after it before the producer's acknowledgement arrived.
        state.onPlan(rollback);
        DeployPlan pushed = plan(4);
        state.onPlan(pushed);
        state.onPlanStored(rollback);
        assertThat(state.environments().get(0).plan().requestId()).isEqualTo(pushed.requestId());
    }

    /** A FLEET plan of production at the n-th commit. */
    static DeployPlan fleetPlan(int n) {
        DeployPlan plan = plan(n);
        return DeployPlan.planned(plan.requestId(), plan.environment(), plan.source(), plan.branch(), plan.commit(),
                plan.modules(), Rollout.FLEET, plan.plannedAt());
    }

    static DeployResult staged(DeployPlan plan, String master) {
        return DeployResult.of(plan.requestId(), master, plan.environment(), plan.commit(), DeployStatus.STAGED,
                NOW, NOW, ModuleCounts.NONE, null).withPlanDigest(plan.digest());
    }

    static Activation activation(DeployPlan plan, Activation.Phase phase, List<String> masters, String reason) {
        return new Activation(plan.requestId(), plan.environment(), plan.digest(), phase, masters, reason,
                NOW.plusSeconds(60));
    }

    private void threeReadyMasters() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        state.onMaster("cm3", master("cm3", MasterState.READY));
    }

    @Test
    void aStagedMasterIsStillPendingAndShownAsStaged() {
        threeReadyMasters();
        DeployPlan live = plan(1);
        state.onPlan(live);
        state.onResult(deployed(live, "cm1"));
        state.onResult(deployed(live, "cm2"));
        DeployPlan plan = fleetPlan(2);
        state.onPlan(plan);
        CompletableFuture<Void> done = state.awaitResults(Set.of(plan.requestId()));
        state.onResult(staged(plan, "cm1"));
        state.onResult(staged(plan, "cm2"));
        state.onResult(staged(plan, "cm3"));

        assertThat(done).isNotDone();
        DeployState.RequestView view = state.request(plan.requestId()).orElseThrow();
        assertThat(view.pendingMasters()).containsExactly("cm1", "cm2", "cm3");
        assertThat(view.complete()).isFalse();
        assertThat(view.outcome()).isEqualTo(DeployState.Outcome.PENDING);
        assertThat(view.results()).extracting(DeployState.MasterResult::status).containsOnly(DeployStatus.STAGED);
        assertThat(view.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.mode()).isEqualTo(Rollout.FLEET);
            assertThat(r.phase()).isNull();
        });
        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.rollout().mode()).isEqualTo(Rollout.FLEET);
        assertThat(row.rollout().phase()).isNull();
        // inSync is unchanged: staged is not served.
        assertThat(row.masters()).extracting(DeployState.MasterCell::inSync, DeployState.MasterCell::planState)
                .containsOnly(tuple(false, DeployState.PlanState.STAGED));
    }

    @Test
    void allAndEverySucceededMasterCompletesTheRequest() {
        threeReadyMasters();
        DeployPlan plan = fleetPlan(1);
        state.onPlan(plan);
        CompletableFuture<Void> done = state.awaitResults(Set.of(plan.requestId()));
        List.of("cm1", "cm2", "cm3").forEach(m -> state.onResult(staged(plan, m)));
        state.onActivation(activation(plan, Activation.Phase.ALL, List.of(), "every ready master staged"));
        state.onResult(deployed(plan, "cm1"));
        state.onResult(deployed(plan, "cm2"));
        assertThat(done).isNotDone();
        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.rollout().phase()).isEqualTo(Activation.Phase.ALL);
        assertThat(row.masters()).extracting(DeployState.MasterCell::planState).containsExactly(
                DeployState.PlanState.LIVE, DeployState.PlanState.LIVE, DeployState.PlanState.STAGED);

        state.onResult(deployed(plan, "cm3"));
        assertThat(done).isDone();
        DeployState.RequestView view = state.request(plan.requestId()).orElseThrow();
        assertThat(view.outcome()).isEqualTo(DeployState.Outcome.COMPLETE);
        assertThat(view.error()).isNull();
        assertThat(view.results()).extracting(DeployState.MasterResult::status).containsOnly(DeployStatus.SUCCEEDED);
        assertThat(state.environments().get(0).masters()).extracting(DeployState.MasterCell::inSync)
                .containsOnly(true);
    }

    @Test
    void aHaltedRolloutFailsTheRequestAtOnceNamingWhoSwitchedAndWhoStayed() {
        threeReadyMasters();
        DeployPlan previous = plan(1);
        state.onPlan(previous);
        List.of("cm1", "cm2", "cm3").forEach(m -> state.onResult(deployed(previous, m)));
        DeployPlan plan = DeployPlan.planned(UUID.randomUUID(), "production", "puppet", "main", sha(2),
                List.of(), Rollout.CANARY, NOW);
        state.onPlan(plan);
        CompletableFuture<Void> done = state.awaitResults(Set.of(plan.requestId()));
        List.of("cm1", "cm2", "cm3").forEach(m -> state.onResult(staged(plan, m)));
        state.onActivation(activation(plan, Activation.Phase.CANARY, List.of("cm1"), "canary cm1"));
        state.onResult(deployed(plan, "cm1"));
        assertThat(done).isNotDone();
        assertThat(state.environments().get(0).rollout()).satisfies(r -> {
            assertThat(r.phase()).isEqualTo(Activation.Phase.CANARY);
            assertThat(r.masters()).containsExactly("cm1");
            assertThat(r.stayedMasters()).isEmpty();
        });

        String reason = "cm1: Puppet Server unhealthy during the soak (3 failed probes)";
        state.onActivation(activation(plan, Activation.Phase.HALTED, List.of("cm1"), reason));
        assertThat(done).isDone();
        DeployState.RequestView view = state.request(plan.requestId()).orElseThrow();
        assertThat(view.complete()).isTrue();
        assertThat(view.outcome()).isEqualTo(DeployState.Outcome.FAILED);
        assertThat(view.error()).isEqualTo(reason);
        assertThat(view.pendingMasters()).isEmpty();
        assertThat(view.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.phase()).isEqualTo(Activation.Phase.HALTED);
            assertThat(r.masters()).containsExactly("cm1");
            assertThat(r.stayedMasters()).containsExactly("cm2", "cm3");
            assertThat(r.reason()).isEqualTo(reason);
        });
        DeployState.EnvironmentRow row = state.environments().get(0);
        assertThat(row.plan().digest()).isEqualTo(plan.digest());
        assertThat(row.rollout().stayedMasters()).containsExactly("cm2", "cm3");
        assertThat(row.masters()).extracting(DeployState.MasterCell::masterId, DeployState.MasterCell::inSync,
                DeployState.MasterCell::planState).containsExactly(
                        tuple("cm1", true, DeployState.PlanState.LIVE),
                        tuple("cm2", false, DeployState.PlanState.STAGED),
                        tuple("cm3", false, DeployState.PlanState.STAGED));
        // The next plan's rollout does not bring the halted request back to pending.
        DeployPlan next = fleetPlan(3);
        state.onPlan(next);
        state.onActivation(activation(next, Activation.Phase.ALL, List.of(), null));
        assertThat(state.request(plan.requestId()).orElseThrow().outcome()).isEqualTo(DeployState.Outcome.FAILED);
    }

    @Test
    void anActivationOfAnotherPlanIsIgnored() {
        threeReadyMasters();
        DeployPlan plan = fleetPlan(1);
        state.onPlan(plan);
        CompletableFuture<Void> done = state.awaitResults(Set.of(plan.requestId()));
        List.of("cm1", "cm2", "cm3").forEach(m -> state.onResult(staged(plan, m)));
        DeployPlan other = fleetPlan(2);
        state.onActivation(activation(other, Activation.Phase.HALTED, List.of(), "not this plan"));
        // Same request, another digest: not this plan's rollout either.
        state.onActivation(new Activation(plan.requestId(), "production", other.digest(), Activation.Phase.HALTED,
                List.of(), "another digest", NOW));

        assertThat(done).isNotDone();
        DeployState.RequestView view = state.request(plan.requestId()).orElseThrow();
        assertThat(view.outcome()).isEqualTo(DeployState.Outcome.PENDING);
        assertThat(view.error()).isNull();
        assertThat(view.rollouts()).singleElement().satisfies(r -> assertThat(r.phase()).isNull());
        assertThat(state.environments().get(0).rollout().phase()).isNull();
    }

    @Test
    void anImmediatePlanHasNoRollout() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        DeployPlan plan = plan(1);
        state.onPlan(plan);
        assertThat(state.environments().get(0).rollout()).isNull();
        assertThat(state.request(plan.requestId()).orElseThrow().rollouts()).isEmpty();
        assertThat(state.environments().get(0).masters()).extracting(DeployState.MasterCell::planState)
                .containsExactly(DeployState.PlanState.PREVIOUS);
    }

    @Test
    void aRequestEveryMasterFoundCurrentCompletesSayingNothingWasDone() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onMaster("cm2", master("cm2", MasterState.READY));
        DeployPlan first = plan(1);
        state.onPlan(first);
        state.onResult(deployed(first, "cm1"));
        state.onResult(deployed(first, "cm2"));
        DeployRequest sync = DeployRequest.fullSync(Provider.MANUAL, NOW.plusSeconds(5));
        DeployPlan again = DeployPlan.planned(sync.requestId(), "production", "puppet", "main", first.commit(),
                first.modules(), Rollout.IMMEDIATE, NOW.plusSeconds(6));
        state.onRequest(sync);
        state.onPlan(again);
        CompletableFuture<Void> done = state.awaitResults(Set.of(sync.requestId()));

        state.onResult(deployed(again, "cm1").asUnchanged());
        assertThat(done).isNotDone();
        assertThat(state.request(sync.requestId()).orElseThrow().summary()).as("cm2 has not answered").isNull();
        state.onResult(deployed(again, "cm2").asUnchanged());

        assertThat(done).isDone();
        DeployState.RequestView view = state.request(sync.requestId()).orElseThrow();
        assertThat(view.outcome()).isEqualTo(DeployState.Outcome.COMPLETE);
        assertThat(view.results()).extracting(DeployState.MasterResult::unchanged).containsExactly(true, true);
        assertThat(view.summary()).isEqualTo("nothing to do: production already at plan " + first.digest());
        assertThat(state.request(first.requestId()).orElseThrow().summary()).as("that one deployed").isNull();
        assertThat(state.environments()).singleElement().satisfies(row -> assertThat(row.history()).hasSize(1));
    }

    @Test
    void aModuleRequestNoPlanUsesCompletesAtOnceAndOneAPlanUsesWaitsForItsPlans() {
        state.onMaster("cm1", master("cm1", MasterState.READY));
        state.onPlan(plan(1));
        DeployRequest apache = DeployRequest.module("apache", null, null, Provider.GITHUB, NOW);
        DeployRequest stdlib = DeployRequest.module("stdlib", null, null, Provider.GITHUB, NOW);
        state.onRequest(apache);
        state.onRequest(stdlib);

        CompletableFuture<Void> done = state.awaitResults(Set.of(apache.requestId()));
        assertThat(done).isDone();
        DeployState.RequestView view = state.request(apache.requestId()).orElseThrow();
        assertThat(view.outcome()).isEqualTo(DeployState.Outcome.COMPLETE);
        assertThat(view.pendingMasters()).isEmpty();
        assertThat(view.summary()).isEqualTo("nothing to do: no environment's plan uses module apache");
        assertThat(state.request(stdlib.requestId()).orElseThrow().outcome()).isEqualTo(DeployState.Outcome.PENDING);

        state.onPlan(plan(2).reactivated(UUID.randomUUID(), NOW.plusSeconds(9)));
        assertThat(state.request(stdlib.requestId()).orElseThrow().outcome())
                .as("a pinned plan is not re-planned by a module request").isEqualTo(DeployState.Outcome.COMPLETE);
    }
}
