package io.momentum.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When this monitor could hear the agents: it hears while its feed of {@code momentum.masters} is live and is deaf
 * from the last moment the feed was known live until it is live again. Silence is measured only over time it
 * heard: an agent is silent once the monitor has listened without a break for longer than the agent's silence
 * window after its last heartbeat, so after an outage every agent gets a full window from the moment the feed is
 * back plus a recovery grace, and an agent that was silent before the outage stays silent. The grace is there
 * because the agents' producers come back later than the monitor's reader: after a broker restart an idempotent
 * producer re-establishes its producer id and flushes what it buffered first, so the first new heartbeat arrives
 * seconds after the feed is readable again (about 11 s measured on the local fleet). Time before start-up counts
 * as heard: the replay reads whatever the agents published meanwhile. Not thread-safe; {@link MonitoredFleet}
 * guards it.
 */
final class Hearing {

    /** Outages remembered; an older one only matters for a heartbeat older than all of them. */
    static final int KEPT = 64;

    /** A time the monitor could not hear, from {@code from} until {@code to} ({@code null} while it lasts). */
    private record Gap(Instant from, Instant to) {
    }

    private final Deque<Gap> gaps = new ArrayDeque<>();
    private final Duration recoveryGrace;
    private Instant lastHeard;

    /** @param recoveryGrace how long after an outage ends silence still does not count */
    Hearing(Duration recoveryGrace) {
        if (recoveryGrace.isNegative()) {
            throw new IllegalArgumentException("recovery grace must not be negative: " + recoveryGrace);
        }
        this.recoveryGrace = recoveryGrace;
    }

    /** The feed was known live at {@code at}: ends a gap, if one is open, at {@code at}. */
    void heard(Instant at) {
        Gap open = gaps.peekLast();
        if (open != null && open.to() == null) {
            gaps.removeLast();
            gaps.addLast(new Gap(open.from(), at.isBefore(open.from()) ? open.from() : at));
        }
        lastHeard = at;
    }

    /**
     * The feed is not live at {@code at}: the monitor is deaf from the last time it was known live (or from
     * {@code at} when it never was), until {@link #heard}.
     */
    void lost(Instant at) {
        if (deaf()) {
            return;
        }
        Instant from = lastHeard != null && lastHeard.isBefore(at) ? lastHeard : at;
        Gap previous = gaps.peekLast();
        if (previous != null && from.isBefore(previous.to())) {
            from = previous.to();
        }
        gaps.addLast(new Gap(from, null));
        while (gaps.size() > KEPT) {
            gaps.removeFirst();
        }
    }

    boolean deaf() {
        Gap last = gaps.peekLast();
        return last != null && last.to() == null;
    }

    /** When the current gap began, or {@code null} while the monitor hears. */
    Instant deafSince() {
        return deaf() ? gaps.peekLast().from() : null;
    }

    /**
     * Whether, between {@code since} and {@code now}, the monitor listened without a break for longer than
     * {@code window}: then someone who last spoke at {@code since} has been silent. Each outage counts as lasting
     * the recovery grace longer than it did.
     */
    boolean silentLongerThan(Instant since, Duration window, Instant now) {
        Instant start = since;
        for (Gap gap : gaps) {
            Instant graceEnd = gap.to() == null ? null : gap.to().plus(recoveryGrace);
            if (graceEnd != null && !graceEnd.isAfter(start)) {
                continue;
            }
            Instant end = gap.from().isBefore(now) ? gap.from() : now;
            if (end.isAfter(start.plus(window))) {
                return true;
            }
            if (graceEnd == null) {
                return false;
            }
            start = graceEnd;
        }
        return now.isAfter(start.plus(window));
    }
}
