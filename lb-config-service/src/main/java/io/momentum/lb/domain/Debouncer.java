package io.momentum.lb.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * Coalesces a burst of changes into one run of the action: the action runs once the changes have been quiet for
 * {@code quietPeriod}, but no later than {@code maxWait} after the first change of the burst, so a flapping fleet
 * still converges and gives at most one reload per window.
 */
public final class Debouncer {

    private final TaskScheduler scheduler;
    private final Duration quietPeriod;
    private final Duration maxWait;
    private final Runnable action;

    private long burstStartedAt;
    private boolean burstOpen;
    private long generation;
    private TaskScheduler.Cancellable pending;

    public Debouncer(TaskScheduler scheduler, Duration quietPeriod, Duration maxWait, Runnable action) {
        if (quietPeriod.isNegative() || maxWait.compareTo(quietPeriod) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet period (" + quietPeriod + ") <= max wait ("
                    + maxWait + ")");
        }
        this.scheduler = Objects.requireNonNull(scheduler);
        this.quietPeriod = quietPeriod;
        this.maxWait = maxWait;
        this.action = Objects.requireNonNull(action);
    }

    /** Records a change; the action runs after the quiet period or at the burst's deadline. */
    public synchronized void trigger() {
        long now = scheduler.nanoTime();
        if (!burstOpen) {
            burstOpen = true;
            burstStartedAt = now;
        }
        if (pending != null) {
            pending.cancel();
        }
        long untilDeadline = burstStartedAt + maxWait.toNanos() - now;
        long delay = Math.max(0, Math.min(quietPeriod.toNanos(), untilDeadline));
        long scheduledGeneration = ++generation;
        pending = scheduler.schedule(() -> fire(scheduledGeneration), Duration.ofNanos(delay));
    }

    private void fire(long scheduledGeneration) {
        synchronized (this) {
            if (scheduledGeneration != generation) {
                return;
            }
            burstOpen = false;
            pending = null;
        }
        action.run();
    }
}
