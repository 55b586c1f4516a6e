package io.momentum.shared.event;

import jakarta.validation.constraints.PositiveOrZero;

/** How many Puppetfile modules a deploy checked out anew and how many it reused unchanged. */
public record ModuleCounts(@PositiveOrZero int deployed, @PositiveOrZero int reused) {

    public static final ModuleCounts NONE = new ModuleCounts(0, 0);

    public int total() {
        return deployed + reused;
    }
}
