package io.momentum.notifier.commitstatus.domain;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Decides which commit statuses to post, and when, from what the fleet publishes: a deploy request of a commit
 * that came from a git host is pending on every READY master (or once, in {@link StatusMode#AGGREGATE}); each
 * master's result makes its status final (a STAGED result stays pending); in aggregate mode the one status is
 * final once every master still READY has a final result. A failed plan fails what is still pending. The same
 * status is never returned twice. Not thread-safe: one reader thread feeds it.
 */
public final class CommitStatusBook {

    /** The context of the aggregate status, and the prefix of the per-master ones. */
    public static final String CONTEXT = "momentum";
    /** Deploys remembered; the oldest are forgotten first (a result for a forgotten deploy posts nothing). */
    static final int KEPT_DEPLOYS = 10_000;

    private final StatusMode mode;
    private final Set<String> readyMasters = new TreeSet<>();
    /** The latest result per master and environment: a result read before its request is applied with it. */
    private final Map<String, DeployResult> latestResults = new HashMap<>();
    private final Map<UUID, Deploy> deploys = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Deploy> eldest) {
            return size() > KEPT_DEPLOYS;
        }
    };

    public CommitStatusBook(StatusMode mode) {
        this.mode = mode;
    }

    public static String masterContext(String masterId) {
        return CONTEXT + "/" + masterId;
    }

    /** A master announced itself: READY masters are the ones a new deploy waits for. */
    public void master(String masterId, boolean ready) {
        if (ready) {
            readyMasters.add(masterId);
        } else {
            readyMasters.remove(masterId);
        }
    }

    /** Whether a request names a commit of a git repository to report on (an environment deploy from a host). */
    public static boolean reportable(DeployRequest request) {
        return request.kind() == DeployKind.ENVIRONMENT && !request.deleted() && request.commit() != null
                && request.repositoryUrl() != null && !request.repositoryUrl().isBlank();
    }

    /** A deploy was requested: its pending statuses, and the final ones of results already read. */
    public List<StatusUpdate> request(DeployRequest request) {
        if (!reportable(request) || deploys.containsKey(request.requestId())) {
            return List.of();
        }
        Deploy deploy = new Deploy(request, new TreeSet<>(readyMasters));
        deploys.put(request.requestId(), deploy);
        List<StatusUpdate> updates = new ArrayList<>(deploy.pending());
        latestResults.values().stream()
                .filter(result -> result.requestId().equals(request.requestId()))
                .sorted(Comparator.comparing(DeployResult::masterId))
                .forEach(result -> updates.addAll(deploy.apply(result)));
        return updates;
    }

    /** A master reported on a deploy. */
    public List<StatusUpdate> result(DeployResult result) {
        latestResults.put(result.key(), result);
        Deploy deploy = deploys.get(result.requestId());
        return deploy == null ? List.of() : deploy.apply(result);
    }

    /**
     * The latest status of every context of the deploys requested at or after {@code since}: what should stand on
     * the hosts (a restarted notifier posts those it has no record of).
     */
    public List<StatusUpdate> current(Instant since) {
        List<StatusUpdate> updates = new ArrayList<>();
        deploys.values().stream()
                .filter(deploy -> !deploy.request.requestedAt().isBefore(since))
                .forEach(deploy -> updates.addAll(deploy.returned.values()));
        return updates;
    }

    /** The request could not be planned: no master will deploy it. */
    public List<StatusUpdate> planFailed(UUID requestId, String error) {
        Deploy deploy = deploys.get(requestId);
        return deploy == null ? List.of() : deploy.planFailed(error == null ? "no reason given" : error);
    }

    private record Outcome(CommitState state, String text) {

        static Outcome of(DeployResult result) {
            return switch (result.status()) {
                case SUCCEEDED -> new Outcome(CommitState.SUCCESS, result.unchanged() ? "already current"
                        : "deployed in " + seconds(result.durationMs()));
                case FAILED -> new Outcome(CommitState.FAILURE,
                        "failed" + (result.error() == null ? "" : ": " + result.error()));
                case STAGED -> new Outcome(CommitState.PENDING, "staged, waiting for the rollout to switch");
                case SUPERSEDED -> new Outcome(CommitState.CANCELED, "superseded by a newer push");
                case PURGED -> new Outcome(CommitState.CANCELED, "environment removed");
            };
        }

        private static String seconds(long millis) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
    }

    private final class Deploy {

        private final DeployRequest request;
        private final Set<String> expected;
        private final Map<String, Outcome> outcomes = new TreeMap<>();
        /** What was last returned per context, so that nothing is returned twice. */
        private final Map<String, StatusUpdate> returned = new TreeMap<>();

        Deploy(DeployRequest request, Set<String> expected) {
            this.request = request;
            this.expected = expected;
        }

        List<StatusUpdate> pending() {
            if (mode == StatusMode.AGGREGATE) {
                String masters = expected.size() == 1 ? "1 master" : expected.size() + " masters";
                return emit(CONTEXT, CommitState.PENDING, "deploying to " + masters);
            }
            List<StatusUpdate> updates = new ArrayList<>();
            expected.forEach(master -> updates.addAll(emit(masterContext(master), CommitState.PENDING, "deploying")));
            return updates;
        }

        List<StatusUpdate> apply(DeployResult result) {
            Outcome outcome = Outcome.of(result);
            Outcome before = outcomes.get(result.masterId());
            if (before != null && before.state().isFinal() && !outcome.state().isFinal()) {
                return List.of();
            }
            outcomes.put(result.masterId(), outcome);
            if (mode == StatusMode.PER_MASTER) {
                String context = masterContext(result.masterId());
                // A master already shown pending stays as it is until its final result.
                if (!outcome.state().isFinal() && returned.containsKey(context)) {
                    return List.of();
                }
                return emit(context, outcome.state(), outcome.text());
            }
            return complete() ? aggregate() : List.of();
        }

        List<StatusUpdate> planFailed(String error) {
            String text = "planning failed: " + error;
            if (mode == StatusMode.AGGREGATE || expected.isEmpty()) {
                return emit(CONTEXT, CommitState.FAILURE, text);
            }
            List<StatusUpdate> updates = new ArrayList<>();
            for (String master : expected) {
                Outcome outcome = outcomes.get(master);
                if (outcome == null || !outcome.state().isFinal()) {
                    outcomes.put(master, new Outcome(CommitState.FAILURE, text));
                    updates.addAll(emit(masterContext(master), CommitState.FAILURE, text));
                }
            }
            return updates;
        }

        /** Every master that reported, and every expected master still READY, has a final result. */
        private boolean complete() {
            Set<String> waitedFor = new TreeSet<>(outcomes.keySet());
            expected.stream().filter(readyMasters::contains).forEach(waitedFor::add);
            return waitedFor.stream().allMatch(master -> outcomes.containsKey(master)
                    && outcomes.get(master).state().isFinal());
        }

        private List<StatusUpdate> aggregate() {
            Map<CommitState, List<String>> byState = new TreeMap<>();
            outcomes.forEach((master, outcome) -> byState.computeIfAbsent(outcome.state(), s -> new ArrayList<>())
                    .add(master));
            CommitState state = byState.containsKey(CommitState.FAILURE) ? CommitState.FAILURE
                    : byState.containsKey(CommitState.SUCCESS) ? CommitState.SUCCESS : CommitState.CANCELED;
            List<String> parts = new ArrayList<>();
            List<String> failed = byState.getOrDefault(CommitState.FAILURE, List.of());
            if (!failed.isEmpty()) {
                parts.add("failed on " + failed.stream()
                        .map(master -> master + " (" + outcomes.get(master).text().replaceFirst("^failed: ?", "")
                                + ")")
                        .collect(Collectors.joining(", ")));
            }
            List<String> deployed = byState.getOrDefault(CommitState.SUCCESS, List.of());
            if (!deployed.isEmpty()) {
                parts.add("deployed on " + String.join(", ", deployed));
            }
            List<String> canceled = byState.getOrDefault(CommitState.CANCELED, List.of());
            if (!canceled.isEmpty()) {
                parts.add(outcomes.get(canceled.get(0)).text() + " on " + String.join(", ", canceled));
            }
            return emit(CONTEXT, state, String.join("; ", parts));
        }

        private List<StatusUpdate> emit(String context, CommitState state, String text) {
            StatusUpdate update = new StatusUpdate(request.requestId(), request.provider(), request.repositoryUrl(),
                    request.commit(), request.environment(), context, state, request.environment() + ": " + text);
            if (update.equals(returned.get(context))) {
                return List.of();
            }
            returned.put(context, update);
            return List.of(update);
        }
    }
}
