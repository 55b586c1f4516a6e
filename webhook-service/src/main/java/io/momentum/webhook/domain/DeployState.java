package io.momentum.webhook.domain;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the fleet wants and has: requests and plans per environment (the latest plan is what every master must
 * serve), how far a FLEET or CANARY plan's rollout is (its latest activation), results per master, masters and their
 * state. Built only from the topics (read from the beginning), so a restarted service shows the same. Thread-safe.
 */
public final class DeployState {

    /** How many requests (and their results) are kept for {@code GET /api/v1/deploys/{id}}. */
    static final int KEPT_REQUESTS = 10_000;
    /** How many environments a "nothing to do" summary names one by one. */
    private static final int NAMED_ENVIRONMENTS = 3;

    /**
     * @param planDigest the digest of the plan the master deployed ({@code null}: it deployed no plan)
     * @param unchanged the master was at that plan already and deployed nothing ("already current")
     */
    public record MasterResult(String masterId, String environment, DeployStatus status, String commit,
            String planDigest, Instant finishedAt, long durationMs, String error, boolean unchanged) {
        static MasterResult of(DeployResult r) {
            return new MasterResult(r.masterId(), r.environment(), r.status(), r.commit(), r.planDigest(),
                    r.finishedAt(), r.durationMs(), r.error(), r.unchanged());
        }
    }

    /** A pinned module of a plan, as the API shows it. */
    public record ModuleView(String name, PlannedModule.Type type, String version, String sha, String sha256) {
        static ModuleView of(PlannedModule m) {
            return new ModuleView(m.name(), m.type(), m.version(), m.sha(), m.sha256());
        }
    }

    /**
     * A plan as the API shows it.
     *
     * @param requestId the request it answers (a rollback's own id for a re-activated plan)
     * @param pinned a rollback: only a push or an unpin plans the environment again
     * @param error why planning failed (FAILED only)
     */
    public record PlanView(UUID requestId, String environment, PlanStatus status, String digest, String commit,
            String branch, String source, boolean pinned, Rollout rollout, Instant plannedAt, String error,
            List<ModuleView> modules) {
        static PlanView of(DeployPlan p) {
            return new PlanView(p.requestId(), p.environment(), p.status(), p.digest(), p.commit(), p.branch(),
                    p.source(), p.pinned(), p.rollout(), p.plannedAt(), p.error(),
                    p.modules().stream().map(ModuleView::of).toList());
        }
    }

    /**
     * How far the rollout of a FLEET or CANARY plan is, from its latest activation.
     *
     * @param mode the plan's rollout mode
     * @param phase the latest activation's phase; {@code null} while none came (the masters are staging the plan)
     * @param masters the masters the activation switched (CANARY, BATCH: so far; HALTED: before it stopped); empty
     *     for ALL, which switches every master
     * @param stayedMasters HALTED only: the masters that stay on the previous plan (READY or having reported on the
     *     plan, and not switched)
     * @param reason HALTED: why the rollout stopped; otherwise what let it proceed
     */
    public record RolloutView(String environment, String digest, Rollout mode, Activation.Phase phase,
            List<String> masters, List<String> stayedMasters, String reason, Instant at) {
    }

    /** Where a master is with the desired plan of an environment. */
    public enum PlanState {
        /** It serves the plan ({@code inSync}). */
        LIVE,
        /** It wrote and verified the plan but still serves the previous one: it waits for its activation. */
        STAGED,
        /** It serves another plan, or none. */
        PREVIOUS
    }

    /** A plan a rollback can re-activate, by its digest. */
    public record PlanEntry(String digest, String commit, String branch, UUID requestId, boolean pinned,
            Instant plannedAt) {
        static PlanEntry of(DeployPlan p) {
            return new PlanEntry(p.digest(), p.commit(), p.branch(), p.requestId(), p.pinned(), p.plannedAt());
        }
    }

    /** What became of a request as a whole. */
    public enum Outcome {
        /** Some READY master has not reported, or has only staged the plan. */
        PENDING,
        /** Every READY master reported (each result says how its deploy went). */
        COMPLETE,
        /** Planning failed, or a rollout of the request's plan halted: {@code error} says why. */
        FAILED
    }

    /**
     * @param request the request, when this service has seen it (a rollback has none, only its plan)
     * @param plans the plans made for the request, when this service has seen them
     * @param pendingMasters READY masters that have not reported yet, or only STAGED the plan; none once planning
     *     failed or the rollout halted, as no master switches to such a plan any more
     * @param complete every READY master reported, or planning failed, or the rollout halted
     * @param error the planner's error when planning the request failed; the reason a rollout halted
     * @param rollouts the rollouts of the request's FLEET or CANARY plans
     * @param summary when the request changed nothing, why: e.g. {@code nothing to do: production already at plan
     *     <digest>} once every master reported it was at the plan already, or {@code nothing to do: no environment's
     *     plan uses module <name>} for a module request that no plan answers; {@code null} otherwise
     */
    public record RequestView(UUID requestId, DeployRequest request, List<PlanView> plans, List<MasterResult> results,
            List<String> pendingMasters, boolean complete, Outcome outcome, String error,
            List<RolloutView> rollouts, String summary) {
    }

    /**
     * @param deployedDigest the digest of the plan the master's latest result deployed
     * @param deployedDigest the digest of the plan the master's latest result deployed (or STAGED)
     * @param inSync the master serves the desired plan: same digest (the same commit when its result names no
     *     digest), or the environment purged when the plan is ABSENT
     * @param planState where the master is with the desired plan; {@code null} while the environment has no plan
     */
    public record MasterCell(String masterId, MasterState masterState, String deployedDigest, String deployedCommit,
            DeployStatus status, UUID requestId, Instant finishedAt, boolean inSync, PlanState planState,
            String error) {
    }

    /**
     * @param branch the latest request's branch (also {@code source}, {@code desiredCommit}, {@code deleted},
     *     {@code requestedAt}: what was last asked for, which the planner may not have planned yet)
     * @param plan the desired plan: the newest PLANNED or ABSENT plan
     * @param failedPlan the newest planning failure, when no plan came after it (the masters keep {@code plan})
     * @param rollout how far the desired plan's rollout is; {@code null} for an IMMEDIATE plan
     * @param history the plans a rollback can re-activate, newest first
     */
    public record EnvironmentRow(String environment, String branch, String source, String desiredCommit,
            UUID desiredRequestId, boolean deleted, Instant requestedAt, PlanView plan, PlanView failedPlan,
            RolloutView rollout, List<PlanEntry> history, List<MasterCell> masters) {
    }

    private record Waiter(Set<UUID> requestIds, CompletableFuture<Void> done) {
    }

    private final Map<String, MasterAnnouncement> masters = new TreeMap<>();
    private final Map<String, DeployRequest> desired = new TreeMap<>();
    private final Map<String, Map<String, DeployResult>> deployed = new TreeMap<>();
    private final LinkedHashMap<UUID, DeployRequest> requests = bounded();
    private final LinkedHashMap<UUID, Map<String, DeployResult>> resultsByRequest = bounded();
    private final Map<String, EnvironmentPlans> plans = new TreeMap<>();
    private final LinkedHashMap<UUID, Map<String, DeployPlan>> plansByRequest = bounded();
    /** The latest activation per environment: the rollout of a desired plan whose request is no longer kept. */
    private final Map<String, Activation> rollouts = new TreeMap<>();
    /** The latest activation per request and environment: a request's rollout outlives the next plan's. */
    private final LinkedHashMap<UUID, Map<String, Activation>> activationsByRequest = bounded();
    private final List<Waiter> waiters = new ArrayList<>();

    private static <V> LinkedHashMap<UUID, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, V> eldest) {
                return size() > KEPT_REQUESTS;
            }
        };
    }

    public synchronized void onRequest(DeployRequest request) {
        requests.put(request.requestId(), request);
        if (request.kind() == DeployKind.ENVIRONMENT && request.environment() != null) {
            DeployRequest current = desired.get(request.environment());
            if (current == null || !current.requestedAt().isAfter(request.requestedAt())) {
                desired.put(request.environment(), request);
            }
        }
    }

    /** A plan as {@code momentum.deploy-plans} holds it, in the topic's order. */
    public synchronized void onPlan(DeployPlan plan) {
        plans.computeIfAbsent(plan.environment(), EnvironmentPlans::new).apply(plan);
        plansByRequest.computeIfAbsent(plan.requestId(), id -> new TreeMap<>()).put(plan.environment(), plan);
        checkWaiters();
    }

    /**
     * A plan this service published, once the broker stored it: shown at once rather than when read back, unless
     * it was read back already (plans that came after it on the topic would otherwise be overtaken by it).
     */
    public synchronized void onPlanStored(DeployPlan plan) {
        if (!plansByRequest.getOrDefault(plan.requestId(), Map.of()).containsKey(plan.environment())) {
            onPlan(plan);
        }
    }

    /** An activation as {@code momentum.rollouts} holds it, in the topic's order. */
    public synchronized void onActivation(Activation activation) {
        rollouts.put(activation.environment(), activation);
        activationsByRequest.computeIfAbsent(activation.requestId(), id -> new TreeMap<>())
                .put(activation.environment(), activation);
        checkWaiters();
    }

    public synchronized void onResult(DeployResult result) {
        deployed.computeIfAbsent(result.environment(), e -> new TreeMap<>()).put(result.masterId(), result);
        resultsByRequest.computeIfAbsent(result.requestId(), id -> new TreeMap<>())
                .put(DeployResult.key(result.masterId(), result.environment()), result);
        checkWaiters();
    }

    /** A master's announcement; {@code null} is the tombstone of a decommissioned master. */
    public synchronized void onMaster(String masterId, MasterAnnouncement announcement) {
        if (announcement == null) {
            masters.remove(masterId);
        } else {
            masters.put(masterId, announcement);
        }
        checkWaiters();
    }

    public synchronized List<String> readyMasters() {
        return masters.values().stream().filter(m -> m.state() == MasterState.READY)
                .map(MasterAnnouncement::masterId).toList();
    }

    /**
     * Completes once every READY master has reported on every one of {@code requestIds} (a STAGED result is not a
     * report yet), or their planning failed or rollout halted.
     */
    public synchronized CompletableFuture<Void> awaitResults(Set<UUID> requestIds) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Waiter waiter = new Waiter(Set.copyOf(requestIds), done);
        if (isComplete(waiter.requestIds())) {
            done.complete(null);
        } else {
            waiters.add(waiter);
            done.whenComplete((ok, failure) -> removeWaiter(waiter));
        }
        return done;
    }

    public synchronized Optional<RequestView> request(UUID requestId) {
        DeployRequest request = requests.get(requestId);
        Map<String, DeployResult> results = resultsByRequest.getOrDefault(requestId, Map.of());
        Collection<DeployPlan> planned = plansByRequest.getOrDefault(requestId, Map.of()).values();
        if (request == null && results.isEmpty() && planned.isEmpty()) {
            return Optional.empty();
        }
        List<String> pending = pendingMasters(requestId);
        List<String> errors = new ArrayList<>();
        for (DeployPlan plan : planned) {
            Optional<String> error = plan.status() == PlanStatus.FAILED ? Optional.of(plan.error())
                    : halt(plan).map(DeployState::haltReason);
            error.ifPresent(e -> errors.add(planned.size() == 1 ? e : plan.environment() + ": " + e));
        }
        boolean complete = pending.isEmpty();
        Outcome outcome = !complete ? Outcome.PENDING : errors.isEmpty() ? Outcome.COMPLETE : Outcome.FAILED;
        List<RolloutView> rolloutViews = planned.stream().map(this::rollout).flatMap(Optional::stream).toList();
        return Optional.of(new RequestView(requestId, request, planned.stream().map(PlanView::of).toList(),
                results.values().stream().map(MasterResult::of).toList(), pending, complete, outcome,
                errors.isEmpty() ? null : String.join("; ", errors), rolloutViews,
                outcome == Outcome.COMPLETE ? nothingDone(request, planned, results.values()) : null));
    }

    /**
     * Why a complete request changed nothing, or null when it changed something: no plan answers a module request
     * that no environment's plan uses, or every master reported each plan of the request unchanged.
     */
    private String nothingDone(DeployRequest request, Collection<DeployPlan> planned,
            Collection<DeployResult> results) {
        if (planned.isEmpty()) {
            return request != null && request.kind() == DeployKind.MODULE
                    ? "nothing to do: no environment's plan uses module " + request.module() : null;
        }
        if (results.isEmpty() || !results.stream().allMatch(DeployResult::unchanged)) {
            return null;
        }
        if (planned.size() > NAMED_ENVIRONMENTS) {
            return "nothing to do: " + planned.size() + " environments already at their plans";
        }
        return "nothing to do: " + String.join(", ", planned.stream()
                .map(plan -> plan.environment() + " already at plan " + plan.digest()).toList());
    }

    /**
     * The newest requests first (by when they were requested, a rollback's by when its plan was made), at most
     * {@code limit}; with an environment, only those that asked for it, planned it or got a result for it (a full
     * sync counts for every environment it reached).
     */
    public synchronized List<RequestView> recent(Optional<String> environment, int limit) {
        Set<UUID> ids = new LinkedHashSet<>(requests.keySet());
        ids.addAll(plansByRequest.keySet());
        return ids.stream().filter(id -> environment.map(e -> concerns(id, e)).orElse(true))
                .sorted(Comparator.comparing(this::requestedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(limit).map(this::request).flatMap(Optional::stream).toList();
    }

    private boolean concerns(UUID requestId, String environment) {
        DeployRequest request = requests.get(requestId);
        return request != null && environment.equals(request.environment())
                || plansByRequest.getOrDefault(requestId, Map.of()).containsKey(environment)
                || resultsByRequest.getOrDefault(requestId, Map.of()).values().stream()
                        .anyMatch(r -> r.environment().equals(environment));
    }

    private Instant requestedAt(UUID requestId) {
        DeployRequest request = requests.get(requestId);
        if (request != null) {
            return request.requestedAt();
        }
        return plansByRequest.getOrDefault(requestId, Map.of()).values().stream().map(DeployPlan::plannedAt)
                .filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
    }

    /**
     * The plan a rollback of {@code environment} re-activates: the one named by {@code digest}, or without one the
     * newest kept plan whose digest differs from the desired plan's.
     */
    public synchronized PlanChoice rollbackTarget(String environment, Optional<String> digest) {
        EnvironmentPlans known = plans.get(environment);
        return known == null ? unknown(environment) : known.rollbackTarget(digest);
    }

    /** The pinned plan of {@code environment}, which an unpin replaces by planning its branch head again. */
    public synchronized PlanChoice pinnedPlan(String environment) {
        EnvironmentPlans known = plans.get(environment);
        return known == null ? unknown(environment) : known.pinned();
    }

    private static PlanChoice unknown(String environment) {
        return new PlanChoice.Unknown("environment " + environment + " has no plan");
    }

    public synchronized List<EnvironmentRow> environments() {
        Set<String> names = new TreeSet<>(desired.keySet());
        names.addAll(plans.keySet());
        names.addAll(deployed.keySet());
        Set<String> masterIds = new TreeSet<>(masters.keySet());
        deployed.values().forEach(m -> masterIds.addAll(m.keySet()));
        List<EnvironmentRow> rows = new ArrayList<>();
        for (String environment : names) {
            DeployRequest want = desired.get(environment);
            EnvironmentPlans planned = plans.getOrDefault(environment, new EnvironmentPlans(environment));
            DeployPlan plan = planned.desired().orElse(null);
            Map<String, DeployResult> have = deployed.getOrDefault(environment, Map.of());
            List<MasterCell> cells = new ArrayList<>();
            for (String masterId : masterIds) {
                DeployResult result = have.get(masterId);
                MasterAnnouncement master = masters.get(masterId);
                cells.add(new MasterCell(masterId, master == null ? null : master.state(),
                        result == null ? null : result.planDigest(), result == null ? null : result.commit(),
                        result == null ? null : result.status(), result == null ? null : result.requestId(),
                        result == null ? null : result.finishedAt(),
                        plan != null ? serves(plan, result) : servesRequest(want, result),
                        plan == null ? null : planState(plan, result), result == null ? null : result.error()));
            }
            rows.add(new EnvironmentRow(environment, want == null ? null : want.branch(),
                    want == null ? null : want.source(), want == null ? null : want.commit(),
                    want == null ? null : want.requestId(), want != null && want.deleted(),
                    want == null ? null : want.requestedAt(), plan == null ? null : PlanView.of(plan),
                    planned.failure().map(PlanView::of).orElse(null),
                    plan == null ? null : rollout(plan).orElse(null),
                    planned.history().stream().map(PlanEntry::of).toList(), cells));
        }
        return rows;
    }

    /** The latest request for an environment, to repeat its branch and source on a manual deploy. */
    public synchronized Optional<DeployRequest> desired(String environment) {
        return Optional.ofNullable(desired.get(environment));
    }

    /** Every environment that has a request. */
    public synchronized Set<String> desiredEnvironments() {
        return Set.copyOf(desired.keySet());
    }

    /** Whether a master's latest result for the environment is the desired plan. */
    private static boolean serves(DeployPlan plan, DeployResult result) {
        if (result == null) {
            return false;
        }
        if (plan.status() == PlanStatus.ABSENT) {
            return result.status() == DeployStatus.PURGED;
        }
        if (result.status() != DeployStatus.SUCCEEDED) {
            return false;
        }
        // A result without a digest comes from an agent that resolved refs itself: only its commit can be compared.
        return result.planDigest() != null ? result.planDigest().equals(plan.digest())
                : Objects.equals(plan.commit(), result.commit());
    }

    private static PlanState planState(DeployPlan plan, DeployResult result) {
        if (serves(plan, result)) {
            return PlanState.LIVE;
        }
        boolean staged = result != null && result.status() == DeployStatus.STAGED
                && Objects.equals(result.planDigest(), plan.digest());
        return staged ? PlanState.STAGED : PlanState.PREVIOUS;
    }

    /** The rollout of a FLEET or CANARY plan (or of any plan an activation names). */
    private Optional<RolloutView> rollout(DeployPlan plan) {
        Optional<Activation> activation = activationOf(plan);
        if (plan.status() != PlanStatus.PLANNED || plan.rollout() == Rollout.IMMEDIATE && activation.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(activation.map(a -> new RolloutView(plan.environment(), plan.digest(), plan.rollout(),
                a.phase(), a.masters(), a.phase() == Activation.Phase.HALTED ? stayed(plan, a) : List.of(),
                a.reason(), a.at())).orElseGet(() -> new RolloutView(plan.environment(), plan.digest(),
                plan.rollout(), null, List.of(), List.of(), null, null)));
    }

    /**
     * The latest activation of exactly this plan: same request and digest. An activation of an earlier plan of the
     * environment (another digest, or the same content under another request) says nothing about this one.
     */
    private Optional<Activation> activationOf(DeployPlan plan) {
        Activation latest = activationsByRequest.getOrDefault(plan.requestId(), Map.of()).get(plan.environment());
        return Optional.ofNullable(latest != null ? latest : rollouts.get(plan.environment()))
                .filter(a -> a.requestId().equals(plan.requestId()) && a.digest().equals(plan.digest()));
    }

    private Optional<Activation> halt(DeployPlan plan) {
        return activationOf(plan).filter(a -> a.phase() == Activation.Phase.HALTED);
    }

    private static String haltReason(Activation halted) {
        return halted.reason() != null ? halted.reason() : "the rollout halted";
    }

    /** The masters a halted rollout left on the previous plan: READY or reported on the plan, and not switched. */
    private List<String> stayed(DeployPlan plan, Activation halted) {
        Set<String> masterIds = new TreeSet<>(readyMasters());
        resultsByRequest.getOrDefault(plan.requestId(), Map.of()).values().stream()
                .filter(r -> r.environment().equals(plan.environment())).forEach(r -> masterIds.add(r.masterId()));
        masterIds.removeAll(halted.masters());
        return List.copyOf(masterIds);
    }

    /** Before any plan exists for the environment: the latest request against the latest result. */
    private static boolean servesRequest(DeployRequest want, DeployResult result) {
        if (want == null || result == null) {
            return false;
        }
        if (want.deleted()) {
            return result.status() == DeployStatus.PURGED;
        }
        if (result.status() != DeployStatus.SUCCEEDED) {
            return false;
        }
        return want.commit() != null ? want.commit().equals(result.commit())
                : want.requestId().equals(result.requestId());
    }

    /**
     * READY masters without a result for the request, or with a STAGED one its rollout may still switch; none once
     * every plan of the request failed or its rollout halted.
     */
    private List<String> pendingMasters(UUID requestId) {
        Map<String, DeployPlan> planned = plansByRequest.getOrDefault(requestId, Map.of());
        if (!planned.isEmpty() && planned.values().stream()
                .allMatch(p -> p.status() == PlanStatus.FAILED || halt(p).isPresent())
                || planned.isEmpty() && plansNothing(requests.get(requestId))) {
            return List.of();
        }
        Set<String> reported = new TreeSet<>();
        Set<String> staging = new TreeSet<>();
        for (DeployResult r : resultsByRequest.getOrDefault(requestId, Map.of()).values()) {
            reported.add(r.masterId());
            DeployPlan plan = planned.get(r.environment());
            if (r.status() == DeployStatus.STAGED && (plan == null || halt(plan).isEmpty())) {
                staging.add(r.masterId());
            }
        }
        return readyMasters().stream().filter(m -> !reported.contains(m) || staging.contains(m)).toList();
    }

    /**
     * A module request that no environment's plan answers: the planner re-plans only environments whose latest plan
     * is PLANNED, not pinned and uses the module, and publishes nothing for the others.
     */
    private boolean plansNothing(DeployRequest request) {
        return request != null && request.kind() == DeployKind.MODULE
                && plans.values().stream().noneMatch(known -> known.replansModule(request.module()));
    }

    private boolean isComplete(Collection<UUID> requestIds) {
        return requestIds.stream().allMatch(id -> pendingMasters(id).isEmpty());
    }

    private void checkWaiters() {
        List<Waiter> finished = new ArrayList<>();
        for (Waiter waiter : waiters) {
            if (isComplete(waiter.requestIds())) {
                finished.add(waiter);
            }
        }
        waiters.removeAll(finished);
        // Completed outside the iteration: completion callbacks may come back into this object.
        finished.forEach(w -> w.done().complete(null));
    }

    private synchronized void removeWaiter(Waiter waiter) {
        Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            if (Objects.equals(it.next(), waiter)) {
                it.remove();
            }
        }
    }
}
