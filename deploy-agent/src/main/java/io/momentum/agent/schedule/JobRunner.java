package io.momentum.agent.schedule;

import io.momentum.agent.deployer.ControlCommitUnreachable;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.DeployOutcome;
import io.momentum.agent.deployer.Deployer;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PostDeployOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Runs one job against the {@link Deployer} and the post-deploy steps, and says what happened as
 * {@link DeployResult}s under the plan's request id: SUCCEEDED (with the plan's digest where the backend deployed it
 * exactly), STAGED (a FLEET or CANARY plan waiting for its activation), PURGED or FAILED (none when shutdown
 * interrupted it), never an exception. The post-deploy steps run when a version goes live, not when it is staged;
 * their outcomes go into the result, failed ones also into its {@code error}.
 */
final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final Deployer deployer;
    private final AfterDeploy afterDeploy;
    private final String masterId;
    /** True once shutdown interrupts running deploys: their failures are not results, the next start retries. */
    private final BooleanSupplier interrupting;
    private final Activations activations;
    /** Whether a newer plan waits in the job's lane: a staged plan it supersedes is not switched live. */
    private final Predicate<Job> newerPlanWaiting;

    JobRunner(Deployer deployer, AfterDeploy afterDeploy, String masterId, BooleanSupplier interrupting,
            Activations activations, Predicate<Job> newerPlanWaiting) {
        this.deployer = deployer;
        this.afterDeploy = afterDeploy;
        this.masterId = masterId;
        this.interrupting = interrupting;
        this.activations = activations;
        this.newerPlanWaiting = newerPlanWaiting;
    }

    /** Runs one job; {@code null} when it was interrupted by shutdown (no result: the next start carries it out). */
    Job.Done execute(Job job) {
        Instant startedAt = Instant.now();
        String environment = job.environment();
        List<DeployResult> results = new ArrayList<>();
        try {
            switch (job.action()) {
                case DEPLOY -> results.add(succeeded(job, startedAt, deployer.deploy(job.plan())));
                case STAGE -> stage(job, startedAt, true, results);
                case SWITCH -> stage(job, startedAt, false, results);
                case PURGE -> {
                    deployer.purge(environment);
                    List<PostDeployOutcome> post = afterDeploy.run(environment, true);
                    LOG.infof("purged %s", environment);
                    results.add(DeployResult.of(job.requestId(), masterId, environment, null, DeployStatus.PURGED,
                            startedAt, Instant.now(), null, failures(post)).withPostDeploy(post));
                }
            }
            return new Job.Done(results, false);
        } catch (DeployException | RuntimeException e) {
            if (interrupting.getAsBoolean()) {
                LOG.warnf("deploy of %s interrupted by shutdown; the next start carries it out", environment);
                return null;
            }
            if (e instanceof RuntimeException) {
                LOG.errorf(e, "deploy of %s failed unexpectedly", environment);
            } else {
                LOG.warnf("deploy of %s failed: %s", environment, e.getMessage());
            }
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // The commit and digest say which plan failed; what is live did not change.
            results.add(DeployResult.of(job.requestId(), masterId, environment, job.plan().commit(),
                    DeployStatus.FAILED, startedAt, Instant.now(), null, error).withPlanDigest(job.plan().digest()));
            return new Job.Done(results, e instanceof ControlCommitUnreachable);
        }
    }

    /**
     * A FLEET or CANARY plan: live already, SUCCEEDED unchanged; else staged (built beside the live version, or
     * found on disk) and STAGED; then, if its activation for this master came already and no newer plan waits,
     * switched live at once. {@code answer}: a STAGE job answers its plan even when nothing changes; a SWITCH job
     * only reports what it changed (the plan was answered when it was staged).
     */
    private void stage(Job job, Instant startedAt, boolean answer, List<DeployResult> results)
            throws DeployException {
        DeployPlan plan = job.plan();
        if (deployer.isLive(plan)) {
            if (answer) {
                results.add(succeeded(job, startedAt, deployer.deploy(plan)));
            }
            return;
        }
        if (answer || !deployer.isStaged(plan)) {
            results.add(staged(job, startedAt, deployer.stage(plan)));
        }
        Optional<Activation> activation = activations.switching(plan);
        if (activation.isPresent() && !newerPlanWaiting.test(job)) {
            results.add(switched(job, activation.get()));
        } else if (!answer) {
            LOG.infof("%s stays on its live version: plan %s is no longer activated here or a newer plan waits",
                    job.environment(), plan.digest());
        }
    }

    private DeployResult staged(Job job, Instant startedAt, DeployOutcome outcome) {
        ModuleCounts modules = outcome.modules() == null ? ModuleCounts.NONE : outcome.modules();
        LOG.infof("staged %s at %s, plan %s (%s, %d modules deployed, %d reused), rollout %s: live when activated",
                job.environment(), outcome.commit(), outcome.planDigest(),
                outcome.unchanged() ? "on disk already" : "written", modules.deployed(), modules.reused(),
                job.plan().rollout());
        return DeployResult.of(job.requestId(), masterId, job.environment(), outcome.commit(), DeployStatus.STAGED,
                startedAt, Instant.now(), modules, null).withPlanDigest(outcome.planDigest());
    }

    /** Makes the staged plan live (the symlink only), then the post-deploy steps; SUCCEEDED. */
    private DeployResult switched(Job job, Activation activation) throws DeployException {
        Instant startedAt = Instant.now();
        DeployOutcome outcome = deployer.activate(job.plan());
        Instant swapped = Instant.now();
        LOG.infof("switched %s live to staged plan %s (request %s) on activation %s at %s: %d ms after the"
                + " activation", job.environment(), job.plan().digest(), job.requestId(), activation.phase(),
                activation.at(), Duration.between(activation.at(), swapped).toMillis());
        List<PostDeployOutcome> post = outcome.unchanged() ? List.of() : afterDeploy.run(job.environment(), false);
        ModuleCounts modules = outcome.modules() == null ? ModuleCounts.NONE : outcome.modules();
        return DeployResult.of(job.requestId(), masterId, job.environment(), outcome.commit(),
                DeployStatus.SUCCEEDED, startedAt, Instant.now(), modules, failures(post)).withPostDeploy(post)
                .withPlanDigest(outcome.planDigest());
    }

    private DeployResult succeeded(Job job, Instant startedAt, DeployOutcome outcome) {
        // A no-op (the plan was live already) changed nothing on disk: nothing to flush or regenerate.
        List<PostDeployOutcome> post = outcome.unchanged() ? List.of() : afterDeploy.run(job.environment(), false);
        ModuleCounts modules = outcome.modules() == null ? ModuleCounts.NONE : outcome.modules();
        LOG.infof("deployed %s at %s, plan %s (%s, %d modules deployed, %d reused)", job.environment(),
                outcome.commit(), outcome.planDigest() == null ? "not pinned by this backend" : outcome.planDigest(),
                outcome.unchanged() ? "unchanged" : "changed", modules.deployed(), modules.reused());
        DeployResult result = DeployResult.of(job.requestId(), masterId, job.environment(), outcome.commit(),
                DeployStatus.SUCCEEDED, startedAt, Instant.now(), modules, failures(post)).withPostDeploy(post)
                .withPlanDigest(outcome.planDigest());
        return outcome.unchanged() ? result.asUnchanged() : result;
    }

    /** The failed post-deploy steps as the result's error (the deploy itself stays live), or null. */
    private static String failures(List<PostDeployOutcome> post) {
        List<String> failed = post.stream().filter(outcome -> !outcome.ok())
                .map(outcome -> "post-deploy " + outcome.step() + " failed: " + outcome.detail()).toList();
        return failed.isEmpty() ? null : String.join("; ", failed);
    }
}
