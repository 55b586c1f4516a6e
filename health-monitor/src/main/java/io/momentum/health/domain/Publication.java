package io.momentum.health.domain;

import io.momentum.shared.event.MasterStatus;

/**
 * A record to write to {@code momentum.master-status}.
 *
 * @param status the status, or {@code null} for a tombstone (the master was decommissioned)
 */
public record Publication(String masterId, MasterStatus status) {

    public boolean tombstone() {
        return status == null;
    }
}
