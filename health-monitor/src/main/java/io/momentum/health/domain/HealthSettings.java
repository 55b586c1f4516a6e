package io.momentum.health.domain;

import java.time.Duration;

/**
 * How masters are probed and judged.
 *
 * @param interval time between two probes of one master
 * @param timeout how long one probe may take; shorter than the interval so probes never pile up
 * @param rise consecutive successes that turn a master UP
 * @param fall consecutive failures that turn a master DOWN
 * @param publishInterval an unchanged status is published again after this long, so consumers that missed one
 *     (or a compacted topic that lost one) converge
 * @param feedRecoveryGrace after the monitor could not read {@code momentum.masters}, how much longer than a full
 *     silence window every agent gets to be heard again (its producer recovers after the monitor's reader)
 */
public record HealthSettings(Duration interval, Duration timeout, int rise, int fall, Duration publishInterval,
        FlapDamping flap, Duration feedRecoveryGrace) {

    /** After a broker restart the local fleet's agents were heard again about 11 s after the feed was. */
    public static final Duration DEFAULT_FEED_RECOVERY_GRACE = Duration.ofSeconds(20);

    public HealthSettings(Duration interval, Duration timeout, int rise, int fall, Duration publishInterval,
            FlapDamping flap) {
        this(interval, timeout, rise, fall, publishInterval, flap, DEFAULT_FEED_RECOVERY_GRACE);
    }

    public HealthSettings {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("timeout (" + timeout + ") must be positive and shorter than the"
                    + " interval (" + interval + ")");
        }
        if (publishInterval.isNegative() || publishInterval.isZero()) {
            throw new IllegalArgumentException("publish interval must be positive");
        }
        if (feedRecoveryGrace.isNegative()) {
            throw new IllegalArgumentException("feed recovery grace must not be negative");
        }
    }

    /** The defaults of SPEC.md: every 2 s, 1 s timeout, rise 2, fall 3. */
    public static HealthSettings defaults() {
        return new HealthSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, Duration.ofSeconds(30),
                new FlapDamping(4, Duration.ofMinutes(5), Duration.ofMinutes(2)));
    }

    public HealthSettings withFlap(FlapDamping flap) {
        return new HealthSettings(interval, timeout, rise, fall, publishInterval, flap, feedRecoveryGrace);
    }
}
