package io.momentum.webhook.domain;

import io.momentum.shared.event.LbConfigApplied;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each load balancer serves and how it got there ({@code momentum.lb-changes}, the audit trail of every apply
 * attempt): the latest attempt and the most recent ones, per load balancer. Thread-safe.
 */
public final class LoadBalancerChanges {

    /** How many attempts per load balancer are kept for the change log. */
    static final int KEPT_CHANGES = 20;

    /**
     * @param latest the most recent attempt: its backends are the serving set when it was applied
     * @param changes up to {@value #KEPT_CHANGES} most recent attempts, newest first
     */
    public record LoadBalancerLog(LbConfigApplied latest, List<LbConfigApplied> changes) {
    }

    private final Map<String, Deque<LbConfigApplied>> byLoadBalancer = new TreeMap<>();

    /** An attempt, in the topic's order; {@code lbId} is the record key. */
    public synchronized void onChange(String lbId, LbConfigApplied change) {
        Deque<LbConfigApplied> changes = byLoadBalancer.computeIfAbsent(lbId, id -> new ArrayDeque<>());
        changes.addFirst(change);
        if (changes.size() > KEPT_CHANGES) {
            changes.removeLast();
        }
    }

    /** One log per load balancer, sorted by its id. */
    public synchronized List<LoadBalancerLog> all() {
        return byLoadBalancer.values().stream()
                .map(changes -> new LoadBalancerLog(changes.getFirst(), List.copyOf(changes))).toList();
    }
}
