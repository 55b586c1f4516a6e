package io.momentum.notifier.domain;

import io.momentum.shared.event.LbResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A load balancer refused a change (REJECTED) or could not apply it (FAILED); the last good set keeps serving. */
public record LoadBalancerFailed(String lbId, String backend, long revision, LbResult result, String error,
        Instant occurredAt) implements Notification {

    @Override
    public String id() {
        return "lb/" + lbId + "/" + backend + "/" + revision + "/" + occurredAt.toEpochMilli();
    }

    @Override
    public NotificationKind kind() {
        return NotificationKind.LB_FAILED;
    }

    @Override
    public List<String> environments() {
        return List.of();
    }

    @Override
    public boolean failure() {
        return true;
    }

    @Override
    public String title() {
        return "Load balancer " + lbId + " (" + backend + ") " + (result == LbResult.REJECTED ? "rejected" : "failed")
                + " a change";
    }

    @Override
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        lines.add("revision " + revision + ": " + result + "; the last good configuration keeps serving");
        if (error != null) {
            lines.add("error: " + error);
        }
        return lines;
    }
}
