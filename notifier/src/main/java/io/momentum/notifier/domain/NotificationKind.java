package io.momentum.notifier.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a notification is about; sinks filter on these names ({@code momentum.notifier.sinks.<name>.events}). */
public enum NotificationKind {
    /** A deploy request finished on every READY master, failed to plan, or timed out. */
    DEPLOY("deploy"),
    /** A master left the load balancer's upstream (no longer routable). */
    MASTER_LEFT("master-left"),
    /** A master is routable again. */
    MASTER_REJOINED("master-rejoined"),
    /** A load balancer refused or failed to apply a change (REJECTED or FAILED). */
    LB_FAILED("lb-failed");

    private final String configName;

    NotificationKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /**
     * @throws IllegalArgumentException naming the known names
     */
    public static NotificationKind fromConfigName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.configName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event kind '" + name + "'; known: "
                        + Arrays.stream(values()).map(NotificationKind::configName).collect(Collectors.joining(", "))));
    }
}
