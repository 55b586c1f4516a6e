package io.momentum.agent.lifecycle;

/** Ends the agent's process with a status; a seam so that tests can see the decision without ending their JVM. */
@FunctionalInterface
public interface AgentExit {

    void exit(int status);
}
