package io.momentum.health.domain;

import io.momentum.shared.event.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The rise/fall state machine of one master, as load balancers do it: {@code rise} consecutive successes turn it UP,
 * {@code fall} consecutive failures turn it DOWN. Until either happens for the first time its health is unknown,
 * so a freshly started monitor never announces a master DOWN (or UP) on the strength of a single probe.
 */
final class HealthCheck {

    private final HealthSettings settings;
    private final Deque<Instant> changes = new ArrayDeque<>();
    private Health health;
    private int consecutiveSuccesses;
    private int consecutiveFailures;
    private String lastFailure;
    private Long latencyMs;
    private Instant checkedAt;
    private boolean damped;
    private Instant lastChange;
    private Instant downAt;

    HealthCheck(HealthSettings settings) {
        this.settings = settings;
    }

    void record(ProbeOutcome outcome) {
        checkedAt = outcome.checkedAt();
        latencyMs = outcome.latencyMs();
        if (outcome.healthy()) {
            consecutiveSuccesses++;
            consecutiveFailures = 0;
            if (health != Health.UP && consecutiveSuccesses >= settings.rise()) {
                change(Health.UP, outcome.checkedAt());
            }
        } else {
            consecutiveFailures++;
            consecutiveSuccesses = 0;
            lastFailure = outcome.reason();
            if (health != Health.DOWN && consecutiveFailures >= settings.fall()) {
                change(Health.DOWN, outcome.checkedAt());
            }
        }
        if (health == Health.DOWN) {
            downAt = outcome.checkedAt();
        }
    }

    private void change(Health next, Instant at) {
        boolean firstVerdict = health == null;
        health = next;
        if (firstVerdict || !settings.flap().enabled()) {
            return;
        }
        lastChange = at;
        changes.addLast(at);
        Instant horizon = at.minus(settings.flap().window());
        while (!changes.isEmpty() && changes.peekFirst().isBefore(horizon)) {
            changes.removeFirst();
        }
        if (changes.size() > settings.flap().maxChanges()) {
            damped = true;
        }
    }

    /** UP or DOWN once rise or fall was reached at least once; empty before. */
    Optional<Health> health() {
        return Optional.ofNullable(health);
    }

    /** Whether flap damping holds the master out at {@code now}: it changed too often and is not yet stable. */
    boolean heldDown(Instant now) {
        if (!damped) {
            return false;
        }
        if (!now.isBefore(lastChange.plus(settings.flap().stableFor()))) {
            damped = false;
            return false;
        }
        return true;
    }

    String flapReason() {
        FlapDamping flap = settings.flap();
        return "flapping: " + changes.size() + " health changes within " + human(flap.window())
                + "; held out until stable for " + human(flap.stableFor());
    }

    /** The latest probe after which the verdict was DOWN, or {@code null}: what a canary's soak must not see. */
    Instant downAt() {
        return downAt;
    }

    int consecutiveSuccesses() {
        return consecutiveSuccesses;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The reason of the latest failed probe, or {@code null} when the latest probe succeeded. */
    String currentFailure() {
        return consecutiveFailures > 0 ? lastFailure : null;
    }

    Long latencyMs() {
        return latencyMs;
    }

    Instant checkedAt() {
        return checkedAt;
    }

    static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }
}
