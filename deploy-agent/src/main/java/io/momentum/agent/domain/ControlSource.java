package io.momentum.agent.domain;

/**
 * A control repository, like an r10k {@code sources} entry: every branch becomes an environment, named
 * {@code <prefix>_<branch>} when a prefix is set.
 *
 * @param name the source name (used in DeployRequest.source)
 * @param remote the repository URL
 * @param prefix the environment prefix, or {@code null} for none
 */
public record ControlSource(String name, String remote, String prefix) {
}
