package io.momentum.webhook.domain;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * What the fleet wants and has: desired requests per environment, results per master, masters and their state.
 * Built only from the topics (read from the beginning), so a restarted service shows the same. Thread-safe.
 */
public final class DeployState {

    /** How many requests (and their results) are kept for {@code GET /api/v1/deploys/{id}}. */
    static final int KEPT_REQUESTS = 10_000;

    public record MasterResult(String masterId, String environment, DeployStatus status, String commit,
            Instant finishedAt, long durationMs, String error) {
        static MasterResult of(DeployResult r) {
            return new MasterResult(r.masterId(), r.environment(), r.status(), r.commit(), r.finishedAt(),
                    r.durationMs(), r.error());
        }
    }

    /**
     * @param request the request, when this service has seen it
     * @param pendingMasters READY masters that have not reported yet
     * @param complete every READY master reported
     */
    public record RequestView(UUID requestId, DeployRequest request, List<MasterResult> results,
            List<String> pendingMasters, boolean complete) {
    }

    public record MasterCell(String masterId, MasterState masterState, String deployedCommit, DeployStatus status,
            UUID requestId, Instant finishedAt, boolean inSync, String error) {
    }

    public record EnvironmentRow(String environment, String branch, String source, String desiredCommit,
            UUID desiredRequestId, boolean deleted, Instant requestedAt, List<MasterCell> masters) {
    }

    private record Waiter(Set<UUID> requestIds, CompletableFuture<Void> done) {
    }

    private final Map<String, MasterAnnouncement> masters = new TreeMap<>();
    private final Map<String, DeployRequest> desired = new TreeMap<>();
    private final Map<String, Map<String, DeployResult>> deployed = new TreeMap<>();
    private final LinkedHashMap<UUID, DeployRequest> requests = bounded();
    private final LinkedHashMap<UUID, Map<String, DeployResult>> resultsByRequest = bounded();
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

    /** Completes once every READY master has reported on every one of {@code requestIds}. */
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
        if (request == null && results.isEmpty()) {
            return Optional.empty();
        }
        List<String> pending = pendingMasters(requestId);
        return Optional.of(new RequestView(requestId, request,
                results.values().stream().map(MasterResult::of).toList(), pending, pending.isEmpty()));
    }

    public synchronized List<EnvironmentRow> environments() {
        Set<String> names = new TreeSet<>(desired.keySet());
        names.addAll(deployed.keySet());
        Set<String> masterIds = new TreeSet<>(masters.keySet());
        deployed.values().forEach(m -> masterIds.addAll(m.keySet()));
        List<EnvironmentRow> rows = new ArrayList<>();
        for (String environment : names) {
            DeployRequest want = desired.get(environment);
            Map<String, DeployResult> have = deployed.getOrDefault(environment, Map.of());
            List<MasterCell> cells = new ArrayList<>();
            for (String masterId : masterIds) {
                DeployResult result = have.get(masterId);
                MasterAnnouncement master = masters.get(masterId);
                cells.add(new MasterCell(masterId, master == null ? null : master.state(),
                        result == null ? null : result.commit(), result == null ? null : result.status(),
                        result == null ? null : result.requestId(), result == null ? null : result.finishedAt(),
                        inSync(want, result), result == null ? null : result.error()));
            }
            rows.add(new EnvironmentRow(environment, want == null ? null : want.branch(),
                    want == null ? null : want.source(), want == null ? null : want.commit(),
                    want == null ? null : want.requestId(), want != null && want.deleted(),
                    want == null ? null : want.requestedAt(), cells));
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

    private static boolean inSync(DeployRequest want, DeployResult result) {
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

    private List<String> pendingMasters(UUID requestId) {
        Map<String, DeployResult> results = resultsByRequest.getOrDefault(requestId, Map.of());
        Set<String> reported = new TreeSet<>();
        results.values().forEach(r -> reported.add(r.masterId()));
        return readyMasters().stream().filter(m -> !reported.contains(m)).toList();
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
