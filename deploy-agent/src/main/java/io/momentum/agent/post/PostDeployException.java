package io.momentum.agent.post;

/** A post-deploy step failed; the deploy itself stays live. */
public class PostDeployException extends Exception {

    public PostDeployException(String message) {
        super(message);
    }

    public PostDeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
