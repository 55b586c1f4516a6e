package io.momentum.agent.schedule;

/**
 * A control repository could not be fetched for a commit a plan names and this master lacks (unreachable,
 * authentication or host key refused): what keeps a joining master from READY. The message names the environments,
 * the remote and the cause.
 */
public final class SourcesUnreachable extends RuntimeException {

    SourcesUnreachable(String message) {
        super(message, null, false, false);
    }
}
