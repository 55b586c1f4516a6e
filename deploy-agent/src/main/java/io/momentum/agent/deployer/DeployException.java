package io.momentum.agent.deployer;

/** A deploy that could not be completed; its message is what operators read in the FAILED result. */
public class DeployException extends Exception {

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
