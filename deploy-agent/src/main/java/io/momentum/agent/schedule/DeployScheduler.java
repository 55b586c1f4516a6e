package io.momentum.agent.schedule;

import io.momentum.agent.deployer.Deployer;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.PlanStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Carries out deploy plans against a {@link Deployer}: one job per environment at a time, the newest pending plan
 * of an environment next (an older pending one is answered SUPERSEDED under its request id), different environments
 * in parallel up to a bound. Every plan carried out gets one result; the futures complete when it is stored. A
 * future that completes exceptionally means the scheduler was closed first: the plan stays desired, and the next
 * start carries it out.
 */
public final class DeployScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeployScheduler.class);
    private static final Duration PUBLISH_RETRY_DELAY = Duration.ofSeconds(5);

    /** The work of one environment: at most one job running and one waiting (the newest). */
    private static final class Lane {
        Job running;
        Job pending;
    }

    private final Deployer deployer;
    private final Targets targets;
    private final JobRunner runner;
    private final ResultPublisher results;
    private final String masterId;
    private final ExecutorService workers;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private volatile boolean closed;
    private volatile boolean interrupting;

    public DeployScheduler(Deployer deployer, Targets targets, ResultSink sink, AfterDeploy afterDeploy,
            String masterId, int maxParallelEnvironments) {
        this(deployer, targets, sink, afterDeploy, masterId, maxParallelEnvironments, PUBLISH_RETRY_DELAY);
    }

    DeployScheduler(Deployer deployer, Targets targets, ResultSink sink, AfterDeploy afterDeploy, String masterId,
            int maxParallelEnvironments, Duration publishRetryDelay) {
        this.deployer = deployer;
        this.targets = targets;
        this.runner = new JobRunner(deployer, afterDeploy, masterId, () -> interrupting);
        this.results = new ResultPublisher(sink, publishRetryDelay, () -> closed);
        this.masterId = masterId;
        this.workers = Executors.newFixedThreadPool(maxParallelEnvironments, DaemonThreads.factory("momentum-deploy"));
    }

    /**
     * Carries out a plan that arrived while following the topic: PLANNED deploys it (already live: a SUCCEEDED
     * result that changed nothing, so the request completes), ABSENT purges the environment, FAILED changes nothing
     * (what is live keeps serving). The future completes once the result is stored.
     */
    public CompletableFuture<Void> submit(DeployPlan plan) {
        if (plan.status() == PlanStatus.FAILED) {
            LOG.infof("plan %s for %s FAILED (%s): what is live keeps serving", plan.requestId(), plan.environment(),
                    plan.error());
            return CompletableFuture.completedFuture(null);
        }
        return schedule(plan).thenApply(done -> null);
    }

    /**
     * Makes the disk match the desired plans: deploys each PLANNED one that is not live and purges each managed
     * environment whose plan is ABSENT; environments already matching publish nothing, and environments with work
     * running or waiting are left to it (it is newer). Completes once every result is stored; exceptionally with
     * {@link SourcesUnreachable} when a control repository could not be fetched for a commit this master lacks
     * (this master's access, not the plan, is at fault: the caller tries again).
     */
    public CompletableFuture<Void> reconcile(Collection<DeployPlan> desired) {
        Map<String, String> deployed = deployer.deployedEnvironments();
        List<CompletableFuture<Job.Done>> jobs = new ArrayList<>();
        int deploys = 0;
        int purges = 0;
        for (DeployPlan plan : desired) {
            synchronized (this) {
                if (lanes.containsKey(plan.environment())) {
                    continue;
                }
            }
            if (plan.status() == PlanStatus.PLANNED && !deployer.isLive(plan)) {
                deploys++;
                jobs.add(schedule(plan));
            } else if (plan.status() == PlanStatus.ABSENT && deployed.containsKey(plan.environment())) {
                purges++;
                jobs.add(schedule(plan));
            }
        }
        LOG.infof("reconciling %d desired environments: deploying %d, purging %d", desired.size(), deploys, purges);
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenCompose(ok -> {
            List<String> unreachable = jobs.stream().map(CompletableFuture::join)
                    .filter(done -> done != null && done.controlUnreachable())
                    .map(done -> done.result().environment() + ": " + done.result().error()).toList();
            return unreachable.isEmpty() ? CompletableFuture.<Void>completedFuture(null)
                    : CompletableFuture.failedFuture(new SourcesUnreachable(String.join("; ", unreachable)));
        });
    }

    /** The environments deployed now, environment -> control-repository commit. */
    public Map<String, String> deployedEnvironments() {
        return deployer.deployedEnvironments();
    }

    /** The environments with a deploy running right now. */
    public synchronized Set<String> running() {
        Set<String> running = new TreeSet<>();
        lanes.forEach((environment, lane) -> {
            if (lane.running != null) {
                running.add(environment);
            }
        });
        return running;
    }

    /**
     * Stops taking work, lets running deploys finish for up to {@code grace}, then interrupts them (the deployer
     * leaves the previous version live). Pending and interrupted work completes exceptionally, without a result.
     */
    public void close(Duration grace) {
        List<Job> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            lanes.values().forEach(lane -> {
                if (lane.pending != null) {
                    dropped.add(lane.pending);
                    lane.pending = null;
                }
            });
        }
        dropped.forEach(job -> job.done().completeExceptionally(new CancellationException("agent is shutting down")));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("interrupting deploys still running after %s: %s", grace, running());
                interrupting = true;
                workers.shutdownNow();
                workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** A PLANNED or ABSENT plan as a job in its environment's lane; refused (FAILED) when its names are unusable. */
    private CompletableFuture<Job.Done> schedule(DeployPlan plan) {
        try {
            if (plan.status() == PlanStatus.ABSENT) {
                EnvironmentNames.requireValid(plan.environment());
                return enqueue(new Job(Job.Action.PURGE, plan, new CompletableFuture<>()));
            }
            targets.forPlan(plan);
            return enqueue(new Job(Job.Action.DEPLOY, plan, new CompletableFuture<>()));
        } catch (InvalidNameException e) {
            LOG.warnf("refusing plan %s: %s", plan.requestId(), e.getMessage());
            Instant now = Instant.now();
            DeployResult refused = DeployResult.of(plan.requestId(), masterId, plan.environment(), null,
                    DeployStatus.FAILED, now, now, null, "refused: " + e.getMessage());
            return results.publish(refused).thenApply(ok -> new Job.Done(refused, false));
        }
    }

    private CompletableFuture<Job.Done> enqueue(Job job) {
        Job superseded;
        synchronized (this) {
            if (closed) {
                job.done().completeExceptionally(new CancellationException("agent is shutting down"));
                return job.done();
            }
            Lane lane = lanes.computeIfAbsent(job.environment(), e -> new Lane());
            superseded = lane.pending;
            lane.pending = job;
            if (lane.running == null) {
                startNext(job.environment(), lane);
            }
        }
        if (superseded != null) {
            LOG.infof("plan %s for %s superseded by %s", superseded.requestId(), job.environment(), job.requestId());
            complete(superseded, new Job.Done(DeployResult.of(superseded.requestId(), masterId,
                    superseded.environment(), superseded.plan().commit(), DeployStatus.SUPERSEDED, null,
                    Instant.now(), null, null).withPlanDigest(superseded.plan().digest()), false));
        }
        return job.done();
    }

    /** Called with the lock held. */
    private void startNext(String environment, Lane lane) {
        Job next = lane.pending;
        lane.pending = null;
        lane.running = next;
        try {
            workers.execute(() -> run(environment, next));
        } catch (RejectedExecutionException e) {
            lane.running = null;
            next.done().completeExceptionally(new CancellationException("agent is shutting down"));
        }
    }

    private void run(String environment, Job job) {
        try {
            Job.Done done = runner.execute(job);
            if (done == null) {
                job.done().completeExceptionally(new CancellationException("deploy interrupted by shutdown"));
            } else {
                complete(job, done);
            }
        } finally {
            synchronized (this) {
                Lane lane = lanes.get(environment);
                lane.running = null;
                if (lane.pending == null) {
                    lanes.remove(environment);
                } else if (!closed) {
                    startNext(environment, lane);
                }
            }
        }
    }

    private void complete(Job job, Job.Done done) {
        results.publish(done.result()).whenComplete((ok, error) -> {
            if (error == null) {
                job.done().complete(done);
            } else {
                job.done().completeExceptionally(error);
            }
        });
    }
}
