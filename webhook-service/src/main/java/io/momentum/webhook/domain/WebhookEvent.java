package io.momentum.webhook.domain;

import java.util.List;

/** What a provider's payload means for Momentum. */
public sealed interface WebhookEvent {

    /** Refs were pushed (or deleted) in {@code repository}. */
    record Push(RepositoryRef repository, List<RefChange> changes, String pusher) implements WebhookEvent {
        public Push {
            changes = List.copyOf(changes);
        }
    }

    /** The git host checks that the hook works. */
    record Ping(String detail) implements WebhookEvent {
    }

    /** Any other event (merge requests, issues, ...): answered, never published. */
    record Ignored(String event) implements WebhookEvent {
    }
}
