package io.momentum.shared.event;

/** What a {@link DeployPlan} tells the masters to do with its environment. */
public enum PlanStatus {
    /** Deploy exactly the plan's commit and module versions. */
    PLANNED,
    /** The Puppetfile or a module could not be resolved: nothing to deploy, the masters keep what they serve. */
    FAILED,
    /** The branch is gone or no rule deploys it any more: the masters purge the environment. */
    ABSENT
}
