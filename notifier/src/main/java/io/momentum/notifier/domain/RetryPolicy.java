package io.momentum.notifier.domain;

import java.time.Duration;

/**
 * How hard a sink is tried: up to {@code maxAttempts} calls, waiting {@code initialBackoff} before the second and
 * twice as long before each further one, at most {@code maxBackoff}. Only transient failures are retried: a 5xx, 408
 * (timeout) or 429 (rate limited) answer, a timeout or a connection error. Any other answer (a 4xx: wrong URL, token or
 * payload) would fail the same way again: given up at once.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** What to do after one call. */
    public enum Verdict {
        DELIVERED,
        RETRY,
        GIVE_UP
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be >= 0 and max backoff >= initial backoff");
        }
    }

    /** The verdict on an HTTP answer with this status. */
    public static Verdict judge(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        return status >= 500 || status == 408 || status == 429 ? Verdict.RETRY : Verdict.GIVE_UP;
    }

    /** Whether another call may follow call number {@code attempt} (1-based). */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** How long to wait after call number {@code attempt} (1-based) failed transiently. */
    public Duration backoffAfter(int attempt) {
        Duration delay = initialBackoff;
        for (int i = 1; i < attempt && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
