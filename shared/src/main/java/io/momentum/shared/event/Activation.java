package io.momentum.shared.event;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Value of {@code momentum.rollouts}, keyed {@code env:<environment>} (see {@link #key()}): which masters switch an
 * environment to a plan they have STAGED. Published by health-monitor's rollout coordinator for FLEET and CANARY
 * plans; the latest activation per environment is the rollout's state.
 *
 * @param requestId the request of the plan being rolled out
 * @param digest the plan being rolled out
 * @param phase how far the rollout is
 * @param masters CANARY and BATCH: every master that switches to the plan by now (cumulative); ALL: empty (every
 *     master, including one that joins later); HALTED: the masters that had switched before the rollout stopped
 * @param reason HALTED: why the rollout stopped; otherwise what let it proceed
 */
public record Activation(
        @NotNull UUID requestId,
        @NotNull @Pattern(regexp = EnvironmentNamePattern.REGEX) String environment,
        @NotNull @Pattern(regexp = "[0-9a-f]{64}") String digest,
        @NotNull Phase phase,
        List<String> masters,
        String reason,
        @NotNull Instant at) implements Event {

    public enum Phase {
        /** The canary masters switch; the others wait for the soak time. */
        CANARY,
        /** One more batch switches after a healthy soak. */
        BATCH,
        /** Every master switches (a FLEET rollout once all ready masters staged; the end of a CANARY one). */
        ALL,
        /** The rollout stopped: the masters not listed stay on their previous plan. */
        HALTED
    }

    public Activation {
        masters = masters == null ? List.of() : List.copyOf(masters);
    }

    /** Whether this activation tells {@code masterId} to make the plan live. */
    public boolean activates(String masterId) {
        return phase == Phase.ALL || phase != Phase.HALTED && masters.contains(masterId);
    }

    public String key() {
        return DeployPlan.key(environment);
    }
}
