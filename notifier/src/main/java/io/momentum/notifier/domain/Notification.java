package io.momentum.notifier.domain;

import java.time.Instant;
import java.util.List;

/**
 * Something people or systems should hear about. Its {@link #id()} is derived from the events it comes from, so the
 * same fact replayed after a restart has the same id and is recognised as sent.
 */
public sealed interface Notification permits DeployFinished, MasterRoutingChanged, LoadBalancerFailed {

    String id();

    NotificationKind kind();

    /** The environments it concerns; empty for fleet-wide news (a master, a load balancer). */
    List<String> environments();

    /** Whether something went wrong: what {@code failures-only} sinks want. */
    boolean failure();

    /** When the fact happened (not when it was noticed): replayed facts older than the replay window stay unsent. */
    Instant occurredAt();

    /** One line for a chat title or a subject. */
    String title();

    /** A few plain-text lines with the details. */
    List<String> details();
}
