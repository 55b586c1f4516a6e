package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * How one post-deploy step went on a master (e.g. {@code flush-environment-cache}): whether it worked, what it
 * did or why it failed, and how long it took, retries included.
 */
public record PostDeployOutcome(@NotBlank String step, boolean ok, String detail, @PositiveOrZero long durationMs) {
}
