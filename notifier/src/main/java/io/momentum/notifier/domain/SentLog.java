package io.momentum.notifier.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * What was sent to which sink, from {@code momentum.notifications} and from this instance's own hand-outs, and the
 * replay window: a restarted notifier sends a fact it missed while it was down, unless it is older than the window
 * before the start (then it is history, not news). Thread-safe.
 */
public final class SentLog {

    private final Set<String> sent = new HashSet<>();
    private final Instant oldestNews;

    /**
     * @param startedAt when this instance started
     * @param replayWindow how far before the start a fact that was never sent is still sent
     */
    public SentLog(Instant startedAt, Duration replayWindow) {
        this.oldestNews = startedAt.minus(replayWindow);
    }

    /** A record of {@code momentum.notifications}, by its key {@code <sink>/<notificationId>}. */
    public synchronized void recorded(String key) {
        sent.add(key);
    }

    /**
     * Whether {@code notification} should go to {@code sink} now; if so it counts as sent from here on, so that it is
     * handed out once even before its record comes back from Kafka.
     */
    public synchronized boolean claim(String sink, Notification notification) {
        if (notification.occurredAt().isBefore(oldestNews)) {
            return false;
        }
        return sent.add(key(sink, notification.id()));
    }

    public synchronized boolean contains(String sink, String notificationId) {
        return sent.contains(key(sink, notificationId));
    }

    private static String key(String sink, String notificationId) {
        return sink + "/" + notificationId;
    }
}
