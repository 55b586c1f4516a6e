package io.momentum.shared.event;

public enum LbResult {
    /** The new configuration is validated and live. */
    APPLIED,
    /** The rendered configuration equals the live one: nothing written, nothing reloaded. */
    UNCHANGED,
    /** Refused before touching the load balancer (for example an empty backend set). */
    REJECTED,
    /** Validation or reload failed; the last good configuration stays or was restored. */
    FAILED
}
