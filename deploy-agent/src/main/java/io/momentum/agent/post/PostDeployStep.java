package io.momentum.agent.post;

/** One optional step after an environment changed on disk. */
public interface PostDeployStep {

    /** How much of the end of a failing command's output goes into the result's error. */
    int OUTPUT_LIMIT = 2000;

    /** How the step is named in logs and in the result's error. */
    String name();

    /** Whether the step also runs after an environment was purged (a cache flush does, type generation not). */
    boolean runsAfterPurge();

    /** @throws PostDeployException saying what went wrong */
    void run(String environment, boolean purged) throws PostDeployException;
}
