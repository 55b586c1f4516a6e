package io.momentum.health.domain;

import io.momentum.shared.event.MasterStatus;
import java.util.List;

/** A master's status together with the environment comparisons behind its {@code inSync}, taken at one instant. */
public record MasterView(MasterStatus status, List<EnvironmentSync> environments) {

    public MasterView {
        environments = List.copyOf(environments);
    }
}
