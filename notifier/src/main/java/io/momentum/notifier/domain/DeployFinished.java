package io.momentum.notifier.domain;

import io.momentum.shared.event.DeployStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One aggregated message per deploy request: sent when every READY master has reported, when planning failed, or
 * when the deploy timeout passed.
 *
 * @param requestKind ENVIRONMENT, MODULE or FULL_SYNC ({@code null} when the request itself was not seen, e.g. a
 *     rollback, which has only its plan)
 * @param commit the control-repository commit planned (the first plan's, when several environments)
 * @param masters what every master reported, sorted by master and environment
 * @param missingMasters READY masters that had not reported when the timeout passed
 * @param error the planner's error when planning failed
 * @param replannedAt when the planner planned the request again after its planning failed (a repository was
 *     unreachable) and the failure was already told; {@code null} otherwise. The second message has an id of its own.
 */
public record DeployFinished(UUID requestId, DeployOutcome outcome, String requestKind, List<String> environments,
        String branch, String commit, String source, String provider, String pusher, List<MasterOutcome> masters,
        List<String> missingMasters, String error, Instant requestedAt, Instant replannedAt, Instant occurredAt)
        implements Notification {

    public static final String ID_PREFIX = "deploy/";

    public DeployFinished {
        environments = List.copyOf(environments);
        masters = List.copyOf(masters);
        missingMasters = List.copyOf(missingMasters);
    }

    @Override
    public String id() {
        return ID_PREFIX + requestId + (replannedAt == null ? "" : "/replanned/" + replannedAt.toEpochMilli());
    }

    @Override
    public NotificationKind kind() {
        return NotificationKind.DEPLOY;
    }

    @Override
    public boolean failure() {
        return outcome == DeployOutcome.FAILED || outcome == DeployOutcome.TIMED_OUT;
    }

    /** The environments deployed (not purged) on every master: what Foreman should import classes for. */
    public List<String> deployedEnvironments() {
        return environments.stream().filter(env -> masters.stream()
                .anyMatch(m -> m.environment().equals(env) && m.status() == DeployStatus.SUCCEEDED)).toList();
    }

    @Override
    public String title() {
        String what = environments.isEmpty() ? "deploy" : String.join(", ", environments);
        return switch (outcome) {
            case SUCCEEDED -> "Deployed " + what + " on " + reportingMasters() + " master(s)";
            case FAILED -> "Deploy of " + what + " FAILED";
            case TIMED_OUT -> "Deploy of " + what + " incomplete: " + missingMasters.size() + " master(s) silent";
            case SUPERSEDED -> "Deploy of " + what + " superseded by a newer one";
        };
    }

    @Override
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        if (branch != null) {
            head.append("branch ").append(branch);
        }
        if (commit != null) {
            head.append(head.isEmpty() ? "" : " ").append("at ").append(commit, 0, Math.min(12, commit.length()));
        }
        if (pusher != null) {
            head.append(head.isEmpty() ? "" : ", ").append("pushed by ").append(pusher);
        }
        if (!head.isEmpty()) {
            lines.add(head.toString());
        }
        if (error != null) {
            lines.add("error: " + error);
        }
        for (MasterOutcome m : masters) {
            StringBuilder line = new StringBuilder(m.masterId()).append(' ').append(m.environment()).append(": ")
                    .append(m.status());
            if (m.status() == DeployStatus.SUCCEEDED) {
                line.append(m.unchanged() ? ", already current" : " in " + m.durationMs() + " ms");
            }
            if (m.error() != null) {
                line.append(" (").append(m.error()).append(')');
            }
            lines.add(line.toString());
        }
        missingMasters.forEach(m -> lines.add(m + ": no report"));
        return lines;
    }

    private long reportingMasters() {
        return masters.stream().map(MasterOutcome::masterId).distinct().count();
    }
}
