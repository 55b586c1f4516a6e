package io.momentum.agent.post;

/**
 * A post-deploy step failed; the deploy itself stays live. A transient failure (Puppet Server not listening yet,
 * answering 503 while it starts) is tried again within {@code momentum.deploy.post.retry-for}.
 */
public class PostDeployException extends Exception {

    private final boolean transientFailure;

    public PostDeployException(String message) {
        this(message, false);
    }

    public PostDeployException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** Whether the same call may succeed a moment later without anyone changing anything. */
    public boolean isTransient() {
        return transientFailure;
    }
}
