package io.momentum.notifier.commitstatus.domain;

import io.momentum.shared.event.Provider;
import java.util.UUID;

/**
 * One status to post on one commit of one repository.
 *
 * @param context what distinguishes this status from others on the same commit ({@code momentum/<master>} or
 *     {@code momentum}); a later status with the same context replaces the earlier one on every host
 * @param description short, at most {@link #MAX_DESCRIPTION} characters (the shortest limit among the hosts)
 */
public record StatusUpdate(
        UUID requestId,
        Provider provider,
        String repositoryUrl,
        String commit,
        String environment,
        String context,
        CommitState state,
        String description) {

    public static final int MAX_DESCRIPTION = 140;

    public StatusUpdate {
        if (description.length() > MAX_DESCRIPTION) {
            description = description.substring(0, MAX_DESCRIPTION - 1) + "…";
        }
    }

    /** What must not be reordered: later updates of the same status wait for earlier ones. */
    public String statusKey() {
        return provider.id() + " " + repositoryUrl + " " + commit + " " + context;
    }
}
