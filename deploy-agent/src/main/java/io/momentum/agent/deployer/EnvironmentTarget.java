package io.momentum.agent.deployer;

/**
 * One environment to deploy: a branch of a control-repository source.
 *
 * @param environment the validated environment name (branch mapped r10k-style, with the source prefix)
 * @param source the source name from configuration
 * @param remote the control repository URL
 * @param branch the git branch
 * @param commit the 40-hex commit to deploy, or {@code null} for the branch head
 */
public record EnvironmentTarget(String environment, String source, String remote, String branch, String commit) {
}
