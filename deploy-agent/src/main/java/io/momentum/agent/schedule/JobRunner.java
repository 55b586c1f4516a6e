package io.momentum.agent.schedule;

import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.DeployOutcome;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PostDeployOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Runs one job against the {@link Deployer} and the post-deploy steps, and says what happened as a
 * {@link DeployResult}: SUCCEEDED, PURGED or FAILED (none when shutdown interrupted it), never an exception. The
 * post-deploy steps' outcomes go into the result; failed ones also into its {@code error}.
 */
final class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final Deployer deployer;
    private final AfterDeploy afterDeploy;
    private final String masterId;
    /** True once shutdown interrupts running deploys: their failures are not results, they are redelivered. */
    private final BooleanSupplier interrupting;
    /** The last target deployed per environment, so a MODULE request knows the branch and source. */
    private final Map<String, EnvironmentTarget> lastTargets = new ConcurrentHashMap<>();

    JobRunner(Deployer deployer, AfterDeploy afterDeploy, String masterId, BooleanSupplier interrupting) {
        this.deployer = deployer;
        this.afterDeploy = afterDeploy;
        this.masterId = masterId;
        this.interrupting = interrupting;
    }

    Optional<EnvironmentTarget> lastTarget(String environment) {
        return Optional.ofNullable(lastTargets.get(environment));
    }

    /** Runs one job; {@code null} when it was interrupted by shutdown (no result: it will be redelivered). */
    DeployResult execute(Job job) {
        Instant startedAt = Instant.now();
        String environment = job.environment();
        try {
            return switch (job.action()) {
                case DEPLOY -> succeeded(job, startedAt, deployer.deploy(job.target()));
                case MODULE -> succeeded(job, startedAt, deployer.deployModule(job.target(), job.module()));
                case PURGE -> {
                    deployer.purge(environment);
                    lastTargets.remove(environment);
                    List<PostDeployOutcome> post = afterDeploy.run(environment, true);
                    LOG.infof("purged %s", environment);
                    yield DeployResult.of(job.requestId(), masterId, environment, null, DeployStatus.PURGED,
                            startedAt, Instant.now(), null, failures(post)).withPostDeploy(post);
                }
            };
        } catch (DeployException | RuntimeException e) {
            if (interrupting.getAsBoolean()) {
                LOG.warnf("deploy of %s interrupted by shutdown; it will be redelivered", environment);
                return null;
            }
            if (e instanceof RuntimeException) {
                LOG.errorf(e, "deploy of %s failed unexpectedly", environment);
            } else {
                LOG.warnf("deploy of %s failed: %s", environment, e.getMessage());
            }
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return DeployResult.of(job.requestId(), masterId, environment, job.commit(), DeployStatus.FAILED,
                    startedAt, Instant.now(), null, error);
        }
    }

    private DeployResult succeeded(Job job, Instant startedAt, DeployOutcome outcome) {
        if (job.action() == Job.Action.DEPLOY) {
            lastTargets.put(job.environment(), job.target());
        }
        // A no-op (redelivery, replay) changed nothing on disk: nothing to flush or regenerate.
        List<PostDeployOutcome> post = outcome.unchanged() ? List.of() : afterDeploy.run(job.environment(), false);
        ModuleCounts modules = outcome.modules() == null ? ModuleCounts.NONE : outcome.modules();
        LOG.infof("deployed %s at %s (%s, %d modules deployed, %d reused)", job.environment(), outcome.commit(),
                outcome.unchanged() ? "unchanged" : "changed", modules.deployed(), modules.reused());
        return DeployResult.of(job.requestId(), masterId, job.environment(), outcome.commit(),
                DeployStatus.SUCCEEDED, startedAt, Instant.now(), modules, failures(post)).withPostDeploy(post);
    }

    /** The failed post-deploy steps as the result's error (the deploy itself stays live), or null. */
    private static String failures(List<PostDeployOutcome> post) {
        List<String> failed = post.stream().filter(outcome -> !outcome.ok())
                .map(outcome -> "post-deploy " + outcome.step() + " failed: " + outcome.detail()).toList();
        return failed.isEmpty() ? null : String.join("; ", failed);
    }
}
