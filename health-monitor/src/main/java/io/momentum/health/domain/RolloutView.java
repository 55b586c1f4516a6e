package io.momentum.health.domain;

import io.momentum.shared.event.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The rollout of an environment's latest FLEET or CANARY plan at one instant.
 *
 * @param requestId the request of the plan
 * @param digest the plan's digest
 * @param activated the masters the latest activation of this plan names (empty before the first and for ALL)
 * @param switched masters serving the plan (a SUCCEEDED result with its digest)
 * @param staged masters that wrote and verified the plan but do not serve it yet (STAGED)
 * @param pending READY masters that have neither staged nor switched
 * @param reason what the rollout waits for, or what made it proceed, halt or hold
 * @param since when the current phase began
 */
public record RolloutView(String environment, UUID requestId, String digest, Rollout rollout, RolloutPhase phase,
        List<String> activated, List<String> switched, List<String> staged, List<String> pending, String reason,
        Instant since) {

    public RolloutView {
        activated = List.copyOf(activated);
        switched = List.copyOf(switched);
        staged = List.copyOf(staged);
        pending = List.copyOf(pending);
    }
}
