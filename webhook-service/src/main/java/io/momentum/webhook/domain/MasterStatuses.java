package io.momentum.webhook.domain;

import io.momentum.shared.event.MasterStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest verdict of the health monitor on every master ({@code momentum.master-status}): what the operator API
 * and the console show as health, sync and routing. Built only from the topic, so a restarted service shows the
 * same. Thread-safe.
 */
public final class MasterStatuses {

    private final Map<String, MasterStatus> latest = new TreeMap<>();

    /** A master's status; {@code null} is the tombstone of a decommissioned master. */
    public synchronized void onStatus(String masterId, MasterStatus status) {
        if (status == null) {
            latest.remove(masterId);
        } else {
            latest.put(masterId, status);
        }
    }

    /** One status per master, sorted by master id. */
    public synchronized List<MasterStatus> all() {
        return List.copyOf(latest.values());
    }
}
