package io.momentum.health.domain;

import io.momentum.shared.event.DeployKind;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Which commit every environment should be at (from deploy requests) and which commit every master serves (from
 * deploy results). Both topics are compacted and may be replayed in any interleaving: the outcome depends only on
 * the order within each topic.
 */
final class CodeState {

    /**
     * What an environment should look like.
     *
     * @param commit the desired commit; {@code null} while the request did not name one and no master has reported
     *     what it resolved the branch to
     * @param absent the branch was deleted: masters should purge the environment
     */
    private record Desired(UUID requestId, String commit, boolean absent) {
    }

    private record Deployed(UUID requestId, String commit) {
    }

    private final Map<String, Desired> desired = new HashMap<>();
    private final Map<String, Map<String, Deployed>> deployed = new HashMap<>();

    void apply(DeployRequest request) {
        if (request.kind() != DeployKind.ENVIRONMENT || request.environment() == null) {
            return;
        }
        if (request.deleted()) {
            desired.put(request.environment(), new Desired(request.requestId(), null, true));
            return;
        }
        String commit = request.commit() != null ? request.commit() : resolvedBy(request.requestId());
        desired.put(request.environment(), new Desired(request.requestId(), commit, false));
    }

    /** A request without a commit means "the branch head": the first master that deployed it tells which one. */
    private String resolvedBy(UUID requestId) {
        return deployed.values().stream()
                .flatMap(envs -> envs.values().stream())
                .filter(d -> d.requestId().equals(requestId) && d.commit() != null)
                .map(Deployed::commit)
                .findFirst()
                .orElse(null);
    }

    void apply(DeployResult result) {
        if (result.status() == DeployStatus.PURGED) {
            Map<String, Deployed> envs = deployed.get(result.masterId());
            if (envs != null) {
                envs.remove(result.environment());
            }
            return;
        }
        if (result.status() != DeployStatus.SUCCEEDED) {
            // A failed or superseded deploy leaves the previous version live: nothing changed on the master.
            return;
        }
        deployed.computeIfAbsent(result.masterId(), id -> new HashMap<>())
                .put(result.environment(), new Deployed(result.requestId(), result.commit()));
        Desired wanted = desired.get(result.environment());
        if (wanted != null && !wanted.absent() && wanted.commit() == null && result.commit() != null
                && wanted.requestId().equals(result.requestId())) {
            desired.put(result.environment(), new Desired(wanted.requestId(), result.commit(), false));
        }
    }

    /** A tombstone on the requests topic: nothing is desired of the environment any more. */
    void forgetEnvironment(String environment) {
        desired.remove(environment);
    }

    /** A tombstone on the results topic: nothing is known about the environment on the master any more. */
    void forgetDeployment(String masterId, String environment) {
        Map<String, Deployed> envs = deployed.get(masterId);
        if (envs != null) {
            envs.remove(environment);
        }
    }

    /**
     * The environments in which {@code masterId} differs from the desired state, sorted: behind or ahead of the
     * desired commit, missing, or still present after its branch was deleted. Environments whose desired commit is
     * unknown are not judged.
     */
    List<String> laggingEnvironments(String masterId) {
        Map<String, Deployed> envs = deployed.getOrDefault(masterId, Map.of());
        TreeSet<String> lagging = new TreeSet<>();
        desired.forEach((environment, wanted) -> {
            Deployed actual = envs.get(environment);
            if (wanted.absent()) {
                if (actual != null) {
                    lagging.add(environment);
                }
            } else if (wanted.commit() != null && (actual == null || !Objects.equals(actual.commit(),
                    wanted.commit()))) {
                lagging.add(environment);
            }
        });
        return List.copyOf(lagging);
    }
}
