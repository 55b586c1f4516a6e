package io.momentum.notifier.domain;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.PlanStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the fleet did, turned into notifications: each deploy request aggregated over every READY master into one
 * {@link DeployFinished}, masters leaving or rejoining the upstream, load balancers refusing a change. Built only
 * from the topics, in their order; {@link #evaluate} hands out what is due, each notification once per instance
 * (across restarts, the sent records decide). Thread-safe.
 */
public final class FleetNotifications {

    /** How many requests are followed at once, and how many finished ones are remembered. */
    static final int KEPT_REQUESTS = 10_000;
    /** Fleet-wide news waiting for {@link #evaluate}; beyond this the oldest is forgotten. */
    static final int KEPT_PENDING = 10_000;

    private final Duration deployTimeout;
    private final Map<String, MasterState> masters = new TreeMap<>();
    private final Map<String, Boolean> routable = new HashMap<>();
    private final LinkedHashMap<UUID, TrackedRequest> requests = bounded();
    private final LinkedHashMap<UUID, Boolean> finished = bounded();
    /** Requests told as FAILED because planning failed: the planner may plan them again (a repository was back). */
    private final LinkedHashMap<UUID, DeployRequest> failedPlanning = bounded();
    private final List<Notification> pending = new ArrayList<>();

    /**
     * @param deployTimeout how long after a request its message goes out even if READY masters have not reported
     */
    public FleetNotifications(Duration deployTimeout) {
        this.deployTimeout = Objects.requireNonNull(deployTimeout);
    }

    private static <V> LinkedHashMap<UUID, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, V> eldest) {
                return size() > KEPT_REQUESTS;
            }
        };
    }

    public synchronized void onRequest(DeployRequest request) {
        tracked(request.requestId()).request = request;
    }

    public synchronized void onPlan(DeployPlan plan) {
        UUID requestId = plan.requestId();
        if (plan.status() != PlanStatus.FAILED && failedPlanning.containsKey(requestId)) {
            // Planned after all: the deploy that follows is news of its own.
            TrackedRequest again = new TrackedRequest(requestId);
            again.request = failedPlanning.remove(requestId);
            again.replannedAt = plan.plannedAt();
            finished.remove(requestId);
            requests.put(requestId, again);
        }
        tracked(requestId).plans.put(plan.environment(), plan);
    }

    public synchronized void onResult(DeployResult result) {
        tracked(result.requestId()).results.put(result.key(), result);
    }

    /** A master's announcement; {@code null} is the tombstone of a decommissioned master. */
    public synchronized void onMaster(String masterId, MasterAnnouncement announcement) {
        if (announcement == null) {
            masters.remove(masterId);
        } else {
            masters.put(masterId, announcement.state());
        }
    }

    /** A master's status: a change of {@code routable} against the previous status is news. */
    public synchronized void onStatus(MasterStatus status) {
        Boolean before = routable.put(status.masterId(), status.routable());
        if (before != null && before != status.routable()) {
            add(new MasterRoutingChanged(status.masterId(), status.routable(), status.health(), status.reason(),
                    status.laggingEnvironments(), status.checkedAt()));
        }
    }

    /** The status tombstone of a master nobody knows any more: its next status is a first one again. */
    public synchronized void onStatusRemoved(String masterId) {
        routable.remove(masterId);
    }

    public synchronized void onLbChange(LbConfigApplied change) {
        if (change.result() == LbResult.REJECTED || change.result() == LbResult.FAILED) {
            add(new LoadBalancerFailed(change.lbId(), change.backend(), change.revision(), change.result(),
                    change.error(), change.appliedAt()));
        }
    }

    /**
     * The notifications due at {@code now}: fleet-wide news in the order it came, then every request that has
     * finished (every READY master reported, planning failed) or whose timeout passed. Each is handed out once.
     */
    public synchronized List<Notification> evaluate(Instant now) {
        List<Notification> due = new ArrayList<>(pending);
        pending.clear();
        List<DeployFinished> deploys = new ArrayList<>();
        for (TrackedRequest tracked : List.copyOf(requests.values())) {
            finish(tracked, now).ifPresent(done -> {
                deploys.add(done);
                requests.remove(tracked.requestId);
                finished.put(tracked.requestId, true);
                if (tracked.results.isEmpty() && done.outcome() == DeployOutcome.FAILED) {
                    failedPlanning.put(tracked.requestId, tracked.request);
                }
            });
        }
        deploys.sort(Comparator.comparing(DeployFinished::occurredAt));
        due.addAll(deploys);
        return due;
    }

    /** The READY masters, which every request waits for. */
    public synchronized List<String> readyMasters() {
        return masters.entrySet().stream().filter(e -> e.getValue() == MasterState.READY).map(Map.Entry::getKey)
                .toList();
    }

    private void add(Notification notification) {
        if (pending.size() >= KEPT_PENDING) {
            pending.remove(0);
        }
        pending.add(notification);
    }

    private TrackedRequest tracked(UUID requestId) {
        if (finished.containsKey(requestId)) {
            // A late result (a master that became READY after the message went out) changes nothing sent.
            return new TrackedRequest(requestId);
        }
        return requests.computeIfAbsent(requestId, TrackedRequest::new);
    }

    private Optional<DeployFinished> finish(TrackedRequest tracked, Instant now) {
        if (tracked.plans.isEmpty() && tracked.results.isEmpty()) {
            // Nothing was planned (yet): a module request no environment uses, a request still being planned.
            return Optional.empty();
        }
        List<DeployPlan> failedPlans = tracked.plans.values().stream()
                .filter(p -> p.status() == PlanStatus.FAILED).toList();
        Set<String> environments = new TreeSet<>();
        tracked.plans.values().stream().filter(p -> p.status() != PlanStatus.FAILED)
                .forEach(p -> environments.add(p.environment()));
        if (tracked.plans.isEmpty()) {
            tracked.results.values().forEach(r -> environments.add(r.environment()));
        }
        List<String> missing = new ArrayList<>();
        for (String masterId : readyMasters()) {
            for (String environment : environments) {
                DeployResult result = tracked.results.get(DeployResult.key(masterId, environment));
                if (result == null || result.status() == DeployStatus.STAGED) {
                    missing.add(masterId);
                    break;
                }
            }
        }
        boolean reported = !tracked.results.isEmpty() || environments.isEmpty();
        Instant deadline = tracked.startedAt().plus(deployTimeout);
        if (missing.isEmpty() && reported) {
            Instant last = Stream.concat(tracked.plans.values().stream().map(DeployPlan::plannedAt),
                    tracked.results.values().stream().map(DeployResult::finishedAt)).max(Comparator.naturalOrder())
                    .orElse(now);
            return Optional.of(message(tracked, outcome(tracked, failedPlans, false), environments,
                    failedPlans, List.of(), last));
        }
        if (!now.isBefore(deadline)) {
            return Optional.of(message(tracked, outcome(tracked, failedPlans, true), environments,
                    failedPlans, missing, deadline));
        }
        return Optional.empty();
    }

    private static DeployOutcome outcome(TrackedRequest tracked, List<DeployPlan> failedPlans, boolean timedOut) {
        boolean anyFailed = !failedPlans.isEmpty()
                || tracked.results.values().stream().anyMatch(r -> r.status() == DeployStatus.FAILED);
        if (anyFailed) {
            return DeployOutcome.FAILED;
        }
        if (timedOut) {
            return DeployOutcome.TIMED_OUT;
        }
        boolean allSuperseded = !tracked.results.isEmpty()
                && tracked.results.values().stream().allMatch(r -> r.status() == DeployStatus.SUPERSEDED);
        return allSuperseded ? DeployOutcome.SUPERSEDED : DeployOutcome.SUCCEEDED;
    }

    private static DeployFinished message(TrackedRequest tracked, DeployOutcome outcome, Set<String> environments,
            List<DeployPlan> failedPlans, List<String> missing, Instant occurredAt) {
        DeployRequest request = tracked.request;
        DeployPlan anyPlan = tracked.plans.values().stream().findFirst().orElse(null);
        Set<String> named = new TreeSet<>(environments);
        failedPlans.forEach(p -> named.add(p.environment()));
        String error = failedPlans.isEmpty() ? null : failedPlans.stream()
                .map(p -> failedPlans.size() == 1 ? p.error() : p.environment() + ": " + p.error())
                .reduce((a, b) -> a + "; " + b).orElse(null);
        List<MasterOutcome> outcomes = tracked.results.values().stream()
                .sorted(Comparator.comparing(DeployResult::masterId).thenComparing(DeployResult::environment))
                .map(r -> new MasterOutcome(r.masterId(), r.environment(), r.status(), r.commit(), r.durationMs(),
                        r.unchanged(), r.error()))
                .toList();
        String commit = anyPlan != null && anyPlan.commit() != null ? anyPlan.commit()
                : request != null ? request.commit() : null;
        return new DeployFinished(tracked.requestId, outcome, request == null ? null : request.kind().name(),
                List.copyOf(named), request != null ? request.branch() : anyPlan != null ? anyPlan.branch() : null,
                commit, request != null ? request.source() : anyPlan != null ? anyPlan.source() : null,
                request == null ? null : request.provider().id(),
                request == null ? null : request.pusher(), outcomes, missing,
                error, request == null ? null : request.requestedAt(), tracked.replannedAt, occurredAt);
    }

    /** A request, its plans (by environment) and its results (by master and environment), as far as they came. */
    private static final class TrackedRequest {
        private final UUID requestId;
        private DeployRequest request;
        private Instant replannedAt;
        private final Map<String, DeployPlan> plans = new TreeMap<>();
        private final Map<String, DeployResult> results = new TreeMap<>();

        TrackedRequest(UUID requestId) {
            this.requestId = requestId;
        }

        /** When the request was made, else when it was first planned or reported on: the timeout counts from it. */
        Instant startedAt() {
            if (replannedAt != null) {
                return replannedAt;
            }
            if (request != null) {
                return request.requestedAt();
            }
            return Stream.concat(plans.values().stream().map(DeployPlan::plannedAt),
                    results.values().stream().map(r -> r.startedAt() != null ? r.startedAt() : r.finishedAt()))
                    .min(Comparator.naturalOrder()).orElseThrow();
        }
    }
}
