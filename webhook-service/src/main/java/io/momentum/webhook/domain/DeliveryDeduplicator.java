package io.momentum.webhook.domain;

import io.momentum.shared.event.Provider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers provider delivery ids for a window so that a redelivered webhook is answered with the requests it
 * already produced instead of publishing again. A delivery in flight is claimed, so that two copies arriving
 * together publish once; a failed publish releases its claim so that the git host's retry goes through.
 */
public final class DeliveryDeduplicator {

    private record Entry(CompletableFuture<List<UUID>> requests, Instant seenAt) {
    }

    private final Duration window;
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    public DeliveryDeduplicator(Duration window, int maxEntries, Clock clock) {
        this.window = window;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The deduplication key of a delivery: provider and its delivery id. */
    public static String deliveryKey(Provider provider, String deliveryId) {
        return provider.id() + ":" + deliveryId;
    }

    /**
     * Claims {@code deliveryKey} for {@code mine}.
     *
     * @return empty when the caller now owns the delivery (it must complete {@code mine} or {@link #release}),
     *     else the requests of the earlier delivery (possibly still in flight)
     */
    public synchronized Optional<CompletableFuture<List<UUID>>> claim(String deliveryKey,
            CompletableFuture<List<UUID>> mine) {
        Instant now = clock.instant();
        forgetExpired(now);
        Entry existing = entries.get(deliveryKey);
        if (existing != null) {
            return Optional.of(existing.requests());
        }
        entries.put(deliveryKey, new Entry(mine, now));
        trim();
        return Optional.empty();
    }

    /** Drops a claim whose publish failed. */
    public synchronized void release(String deliveryKey, CompletableFuture<List<UUID>> mine) {
        Entry existing = entries.get(deliveryKey);
        if (existing != null && existing.requests() == mine) {
            entries.remove(deliveryKey);
        }
    }

    /** Records a delivery read back from the requests topic (after a restart, or from another instance). */
    public synchronized void remember(String deliveryKey, UUID requestId, Instant requestedAt) {
        Instant now = clock.instant();
        if (requestedAt.isBefore(now.minus(window))) {
            return;
        }
        Entry existing = entries.get(deliveryKey);
        if (existing == null) {
            entries.put(deliveryKey, new Entry(CompletableFuture.completedFuture(List.of(requestId)), requestedAt));
            trim();
        } else if (existing.requests().isDone() && !existing.requests().isCompletedExceptionally()) {
            List<UUID> known = existing.requests().join();
            if (!known.contains(requestId)) {
                List<UUID> merged = new ArrayList<>(known);
                merged.add(requestId);
                entries.put(deliveryKey,
                        new Entry(CompletableFuture.completedFuture(List.copyOf(merged)), existing.seenAt()));
            }
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    private void forgetExpired(Instant now) {
        // Entries are kept in arrival order, so the expired ones are at the head.
        Instant oldest = now.minus(window);
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry entry = it.next();
            if (!entry.seenAt().isBefore(oldest)) {
                return;
            }
            if (entry.requests().isDone()) {
                it.remove();
            }
        }
    }

    private void trim() {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
