package io.momentum.agent.deployer;

/**
 * The control repository could not be fetched (unreachable, key or token refused, host key unknown) for a commit
 * the mirror lacks: this master, not the plan, is at fault, so a joining master stays JOINING for it.
 */
public final class ControlCommitUnreachable extends DeployException {

    public ControlCommitUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
