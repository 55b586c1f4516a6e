package io.momentum.agent.schedule;

import io.momentum.agent.deployer.ControlCommitUnreachable;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.DeployOutcome;
import io.momentum.agent.deployer.Deployer;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PostDeployOutcome;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Runs one job against the {@link Deployer} and the post-deploy steps, and says what happened as a
 * {@link DeployResult} under the plan's request id: SUCCEEDED (with the plan's digest where the backend deployed it
 * exactly), PURGED or FAILED (none when shutdown interrupted it), never an exception. The post-deploy steps'
 * outcomes go into the result; failed ones also into its {@code error}.
 */
final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final Deployer deployer;
    private final AfterDeploy afterDeploy;
    private final String masterId;
    /** True once shutdown interrupts running deploys: their failures are not results, the next start retries. */
    private final BooleanSupplier interrupting;

    JobRunner(Deployer deployer, AfterDeploy afterDeploy, String masterId, BooleanSupplier interrupting) {
        this.deployer = deployer;
        this.afterDeploy = afterDeploy;
        this.masterId = masterId;
        this.interrupting = interrupting;
    }

    /** Runs one job; {@code null} when it was interrupted by shutdown (no result: the next start carries it out). */
    Job.Done execute(Job job) {
        Instant startedAt = Instant.now();
        String environment = job.environment();
        try {
            return switch (job.action()) {
                case DEPLOY -> new Job.Done(succeeded(job, startedAt, deployer.deploy(job.plan())), false);
                case PURGE -> {
                    deployer.purge(environment);
                    List<PostDeployOutcome> post = afterDeploy.run(environment, true);
                    LOG.infof("purged %s", environment);
                    yield new Job.Done(DeployResult.of(job.requestId(), masterId, environment, null,
                            DeployStatus.PURGED, startedAt, Instant.now(), null, failures(post))
                            .withPostDeploy(post), false);
                }
            };
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
            return new Job.Done(DeployResult.of(job.requestId(), masterId, environment, job.plan().commit(),
                    DeployStatus.FAILED, startedAt, Instant.now(), null, error).withPlanDigest(job.plan().digest()),
                    e instanceof ControlCommitUnreachable);
        }
    }

    private DeployResult succeeded(Job job, Instant startedAt, DeployOutcome outcome) {
        // A no-op (the plan was live already) changed nothing on disk: nothing to flush or regenerate.
        List<PostDeployOutcome> post = outcome.unchanged() ? List.of() : afterDeploy.run(job.environment(), false);
        ModuleCounts modules = outcome.modules() == null ? ModuleCounts.NONE : outcome.modules();
        LOG.infof("deployed %s at %s, plan %s (%s, %d modules deployed, %d reused)", job.environment(),
                outcome.commit(), outcome.planDigest() == null ? "not pinned by this backend" : outcome.planDigest(),
                outcome.unchanged() ? "unchanged" : "changed", modules.deployed(), modules.reused());
        return DeployResult.of(job.requestId(), masterId, job.environment(), outcome.commit(),
                DeployStatus.SUCCEEDED, startedAt, Instant.now(), modules, failures(post)).withPostDeploy(post)
                .withPlanDigest(outcome.planDigest());
    }

    /** The failed post-deploy steps as the result's error (the deploy itself stays live), or null. */
    private static String failures(List<PostDeployOutcome> post) {
        List<String> failed = post.stream().filter(outcome -> !outcome.ok())
                .map(outcome -> "post-deploy " + outcome.step() + " failed: " + outcome.detail()).toList();
        return failed.isEmpty() ? null : String.join("; ", failed);
    }
}
