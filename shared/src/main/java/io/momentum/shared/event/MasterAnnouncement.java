package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Instant;

/**
 * Value of {@code momentum.masters}, keyed by {@code masterId}; a tombstone (null value) decommissions a master.
 *
 * @param heartbeatIntervalMs how often this agent heartbeats, so a monitor can tell a silent agent
 *     (an addition to SPEC.md's field list)
 * @param reason why a JOINING master is not READY yet (e.g. its control repository cannot be reached); {@code null}
 *     when nothing holds it back. Optional: announcements without it read as before.
 */
public record MasterAnnouncement(
        @NotBlank @Pattern(regexp = MasterIdPattern.REGEX) String masterId,
        @NotNull MasterRole role,
        String puppetServerUrl,
        String lbAddress,
        @NotNull MasterState state,
        String agentVersion,
        @NotNull Instant startedAt,
        @NotNull Instant heartbeatAt,
        @Positive long heartbeatIntervalMs,
        String reason) implements Event {

    /** An announcement without a reason. */
    public MasterAnnouncement(String masterId, MasterRole role, String puppetServerUrl, String lbAddress,
            MasterState state, String agentVersion, Instant startedAt, Instant heartbeatAt, long heartbeatIntervalMs) {
        this(masterId, role, puppetServerUrl, lbAddress, state, agentVersion, startedAt, heartbeatAt,
                heartbeatIntervalMs, null);
    }

    /** The next heartbeat: the new state, and no reason (see {@link #withReason}). */
    public MasterAnnouncement heartbeat(MasterState newState, Instant now) {
        return new MasterAnnouncement(masterId, role, puppetServerUrl, lbAddress, newState, agentVersion, startedAt,
                now, heartbeatIntervalMs, null);
    }

    /** This announcement saying why the master is not READY ({@code null}: nothing holds it back). */
    public MasterAnnouncement withReason(String newReason) {
        return new MasterAnnouncement(masterId, role, puppetServerUrl, lbAddress, state, agentVersion, startedAt,
                heartbeatAt, heartbeatIntervalMs, newReason);
    }
}
