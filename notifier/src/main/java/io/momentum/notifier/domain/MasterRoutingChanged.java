package io.momentum.notifier.domain;

import io.momentum.shared.event.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A master left the load balancer's upstream, or rejoined it, as health-monitor decided. */
public record MasterRoutingChanged(String masterId, boolean routable, Health health, String reason,
        List<String> laggingEnvironments, Instant occurredAt) implements Notification {

    public MasterRoutingChanged {
        laggingEnvironments = laggingEnvironments == null ? List.of() : List.copyOf(laggingEnvironments);
    }

    @Override
    public String id() {
        return "master/" + masterId + "/" + (routable ? "rejoined" : "left") + "/" + occurredAt.toEpochMilli();
    }

    @Override
    public NotificationKind kind() {
        return routable ? NotificationKind.MASTER_REJOINED : NotificationKind.MASTER_LEFT;
    }

    @Override
    public List<String> environments() {
        return List.of();
    }

    @Override
    public boolean failure() {
        return !routable;
    }

    @Override
    public String title() {
        return routable ? "Master " + masterId + " is back in the load balancer"
                : "Master " + masterId + " left the load balancer";
    }

    @Override
    public List<String> details() {
        List<String> lines = new ArrayList<>();
        lines.add("health " + health);
        if (reason != null) {
            lines.add("reason: " + reason);
        }
        if (!laggingEnvironments.isEmpty()) {
            lines.add("lagging: " + String.join(", ", laggingEnvironments));
        }
        return lines;
    }
}
