package io.momentum.notifier.domain;

import io.momentum.shared.event.DeployStatus;

/** What one master reported for one environment of a request ({@code unchanged}: it already served that plan). */
public record MasterOutcome(String masterId, String environment, DeployStatus status, String commit,
        long durationMs, boolean unchanged, String error) {
}
