package io.momentum.agent.post;

/** One optional step after an environment changed on disk. */
public interface PostDeployStep {

    /** How much of the end of a failing command's output goes into the result's error. */
    int OUTPUT_LIMIT = 2000;

    /** How the step is named in logs, metrics and the result. */
    String name();

    /** Whether the step also runs after an environment was purged (a cache flush does, type generation not). */
    boolean runsAfterPurge();

    /**
     * @return what the step did, in a few words for the log and the result (e.g. {@code HTTP 204 from <url>})
     * @throws PostDeployException saying what went wrong, and whether trying again soon may help
     */
    String run(String environment, boolean purged) throws PostDeployException;
}
