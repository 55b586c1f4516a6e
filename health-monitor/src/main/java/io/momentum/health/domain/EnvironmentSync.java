package io.momentum.health.domain;

import io.momentum.shared.event.PlanStatus;

/**
 * One environment on one master: the plan it should serve now against what it serves. That is the environment's
 * latest plan, or while a FLEET or CANARY plan is rolled out and has not activated this master yet, the plan before it
 * that was fully activated.
 *
 * @param desired PLANNED or ABSENT as the plan the master should serve now says; {@code null} while no such plan is
 *     known (the environment is then not judged)
 * @param desiredDigest the desired plan's digest (PLANNED only)
 * @param desiredCommit the desired plan's control commit (PLANNED only)
 * @param deployedDigest the digest of the plan the master deployed last; {@code null} when nothing is deployed or the
 *     result names no plan (r10k/g10k backends, results from before plans): its commit is compared instead
 * @param deployedCommit the control commit the master deployed last
 * @param inSync the master serves what is desired, or nothing is desired yet
 */
public record EnvironmentSync(String environment, PlanStatus desired, String desiredDigest, String desiredCommit,
        String deployedDigest, String deployedCommit, boolean inSync) {
}
