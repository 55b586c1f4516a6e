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
        @Positive long heartbeatIntervalMs) implements Event {

    public MasterAnnouncement heartbeat(MasterState newState, Instant now) {
        return new MasterAnnouncement(masterId, role, puppetServerUrl, lbAddress, newState, agentVersion, startedAt,
                now, heartbeatIntervalMs);
    }
}
