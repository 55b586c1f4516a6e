package io.momentum.agent.deployer;

import io.momentum.shared.event.DeployPlan;
import java.util.Map;

/**
 * Makes environments on disk match their deploy plans. One implementation per backend (native JGit, r10k, g10k),
 * each a {@code @Singleton @Identifier("<name>")} bean chosen by {@code momentum.deploy.backend} in
 * {@code config.DeployerProducer}.
 *
 * <p>Contract every implementation keeps:
 * <ul>
 * <li>an environment is replaced whole or not at all: on failure, or when the calling thread is interrupted, the
 * previously deployed version stays live and untouched;</li>
 * <li>calls for the same environment are never concurrent (the scheduler serializes them); calls for different
 * environments may be;</li>
 * <li>names are validated before any path is built; nothing is ever written outside the environments base dir
 * (and the backend's own cache dir).</li>
 * </ul>
 */
public interface Deployer {

    /** Deploys a PLANNED plan: its control commit and, where the backend can pin them, its modules exactly. */
    DeployOutcome deploy(DeployPlan plan) throws DeployException;

    /** Whether the environment serves this plan already (deploying it would change nothing). */
    boolean isLive(DeployPlan plan);

    /**
     * Writes and verifies a PLANNED plan's version without making it live: a FLEET or CANARY rollout waits for its
     * activation. Nothing is written when a version built from the plan is on disk already ({@code unchanged}).
     * A backend that writes environments in place cannot stage and fails.
     */
    DeployOutcome stage(DeployPlan plan) throws DeployException;

    /** Whether a version built from this plan is on disk but not live: staged, or kept from before. */
    boolean isStaged(DeployPlan plan);

    /**
     * Makes a staged plan live by moving the environment's symlink only: nothing is fetched or written, so the
     * switch takes no longer than a rename. Fails when the plan is not staged; {@code unchanged} when it is live.
     */
    DeployOutcome activate(DeployPlan plan) throws DeployException;

    /** Removes a managed environment (its branch was deleted). Directories Momentum does not manage stay. */
    void purge(String environment) throws DeployException;

    /** The environments this backend has deployed, environment -> deployed control-repository commit. */
    Map<String, String> deployedEnvironments();
}
