package io.momentum.notifier.commitstatus.host;

import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import java.util.Optional;

/**
 * One git host's commit-status API: one CDI bean per host, {@code @Identifier} = the provider id of the requests it
 * answers ({@code github}, {@code gitlab}, ...), chosen through {@code momentum.commit-status.providers.<id>}.
 */
public interface CommitStatusHost {

    /** The API's base URL when none is configured (the SaaS host), or empty when it must be configured. */
    Optional<String> defaultApiUrl();

    /** The HTTP call that posts this status. */
    HostCall call(HostEndpoint endpoint, StatusUpdate update, String targetUrl);
}
