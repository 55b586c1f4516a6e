package io.momentum.notifier.commitstatus.domain;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which statuses were already posted (or given up), as recorded on {@code momentum.notifications} under the sink
 * {@value #SINK}: a restarted notifier posts none of them again, and never a pending status over a final one.
 * Thread-safe.
 */
public final class SentLedger {

    /** The sink name of commit statuses on {@code momentum.notifications}. */
    public static final String SINK = "commit-status";

    private final Map<String, Set<CommitState>> sent = new HashMap<>();

    /** The notification id an update is recorded under: {@code <requestId>/<context>/<state>}. */
    public static String notificationId(StatusUpdate update) {
        return status(update) + "/" + update.state().name().toLowerCase(Locale.ROOT);
    }

    /** Reads back a recorded notification id; other ids are not commit statuses. */
    public synchronized void recorded(String notificationId) {
        int last = notificationId.lastIndexOf('/');
        if (last < 0) {
            return;
        }
        state(notificationId.substring(last + 1)).ifPresent(state -> sent
                .computeIfAbsent(notificationId.substring(0, last), key -> EnumSet.noneOf(CommitState.class))
                .add(state));
    }

    public synchronized void recorded(StatusUpdate update) {
        recorded(notificationId(update));
    }

    /** Whether this update still has to be posted. */
    public synchronized boolean needed(StatusUpdate update) {
        Set<CommitState> states = sent.getOrDefault(status(update), Set.of());
        if (update.state() == CommitState.PENDING) {
            return states.isEmpty();
        }
        return !states.contains(update.state());
    }

    private static String status(StatusUpdate update) {
        return update.requestId() + "/" + update.context();
    }

    private static Optional<CommitState> state(String name) {
        for (CommitState state : CommitState.values()) {
            if (state.name().equalsIgnoreCase(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
