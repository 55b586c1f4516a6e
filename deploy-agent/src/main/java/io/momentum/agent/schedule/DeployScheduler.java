package io.momentum.agent.schedule;

import io.momentum.agent.deployer.Deployer;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.Activation;
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
 * in parallel up to a bound. FLEET and CANARY plans are staged and switched live when the environment's latest
 * activation ({@code momentum.rollouts}) names this master and the plan. Every plan carried out gets a result (a
 * staged plan STAGED, then SUCCEEDED when it is switched); the futures complete when they are stored. A future that
 * completes exceptionally means the scheduler was closed first: the plan stays desired, and the next start carries
 * it out.
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
    private final Activations activations;
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
        this.activations = new Activations(masterId);
        this.runner = new JobRunner(deployer, afterDeploy, masterId, () -> interrupting, activations,
                this::newerPlanWaiting);
        this.results = new ResultPublisher(sink, publishRetryDelay, () -> closed);
        this.masterId = masterId;
        this.workers = Executors.newFixedThreadPool(maxParallelEnvironments, DaemonThreads.factory("momentum-deploy"));
    }

    /**
     * Carries out a plan that arrived while following the topic: PLANNED deploys it (already live: a SUCCEEDED
     * result that changed nothing, so the request completes; a FLEET or CANARY plan is staged instead, answered
     * STAGED, and goes live when its activation comes), ABSENT purges the environment, FAILED changes nothing (what
     * is live keeps serving). The future completes once the results are stored.
     */
    public CompletableFuture<Void> submit(DeployPlan plan) {
        if (plan.status() == PlanStatus.FAILED) {
            LOG.infof("plan %s for %s FAILED (%s): what is live keeps serving", plan.requestId(), plan.environment(),
                    plan.error());
            return CompletableFuture.completedFuture(null);
        }
        return schedule(plan).thenApply(done -> null);
    }

    /** Records an activation read while replaying {@code momentum.rollouts}: {@link #reconcile} acts on it. */
    public void remember(Activation activation) {
        activations.record(activation);
    }

    /**
     * Records the environment's latest activation and, when it tells this master to make {@code desired} (the
     * environment's desired plan, staged or being staged) live, switches it: right after its staging when that is
     * still running. HALTED, an activation of another plan or one naming other masters changes nothing here. The
     * future completes once the switch's result is stored.
     */
    public CompletableFuture<Void> activate(Activation activation, DeployPlan desired) {
        activations.record(activation);
        boolean switches = desired != null && desired.status() == PlanStatus.PLANNED
                && Activations.rolledOut(desired) && activations.switching(desired).isPresent()
                && !deployer.isLive(desired);
        if (!switches) {
            LOG.infof("activation %s of %s for plan %s (%s): nothing to switch on %s", activation.phase(),
                    activation.environment(), activation.digest(), activation.reason(), masterId);
            return CompletableFuture.completedFuture(null);
        }
        return enqueue(new Job(Job.Action.SWITCH, desired, new CompletableFuture<>())).thenApply(done -> null);
    }

    /**
     * Makes the disk match the desired plans: deploys each PLANNED one that is not live (a FLEET or CANARY one is
     * staged, or switched live when it is staged and the latest activation says so) and purges each managed
     * environment whose plan is ABSENT; environments already matching (a staged plan waiting for its activation
     * too) publish nothing, and environments with work running or waiting are left to it (it is newer). Completes
     * once every result is stored; exceptionally with {@link SourcesUnreachable} when a control repository could not
     * be fetched for a commit this master lacks (this master's access, not the plan, is at fault: the caller tries
     * again).
     */
    public CompletableFuture<Void> reconcile(Collection<DeployPlan> desired) {
        Map<String, String> deployed = deployer.deployedEnvironments();
        List<CompletableFuture<Job.Done>> jobs = new ArrayList<>();
        int deploys = 0;
        int switches = 0;
        int waiting = 0;
        int purges = 0;
        for (DeployPlan plan : desired) {
            synchronized (this) {
                if (lanes.containsKey(plan.environment())) {
                    continue;
                }
            }
            if (plan.status() == PlanStatus.PLANNED && !deployer.isLive(plan)) {
                if (!Activations.rolledOut(plan) || !deployer.isStaged(plan)) {
                    deploys++;
                    jobs.add(schedule(plan));
                } else if (activations.switching(plan).isPresent()) {
                    switches++;
                    jobs.add(enqueue(new Job(Job.Action.SWITCH, plan, new CompletableFuture<>())));
                } else {
                    waiting++;
                }
            } else if (plan.status() == PlanStatus.ABSENT && deployed.containsKey(plan.environment())) {
                purges++;
                jobs.add(schedule(plan));
            }
        }
        LOG.infof("reconciling %d desired environments: deploying or staging %d, switching %d staged, %d staged and"
                + " waiting for their activation, purging %d", desired.size(), deploys, switches, waiting, purges);
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).thenCompose(ok -> {
            List<String> unreachable = jobs.stream().map(CompletableFuture::join)
                    .filter(done -> done != null && done.controlUnreachable())
                    .map(done -> done.last().environment() + ": " + done.last().error()).toList();
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
            return enqueue(new Job(Activations.rolledOut(plan) ? Job.Action.STAGE : Job.Action.DEPLOY, plan,
                    new CompletableFuture<>()));
        } catch (InvalidNameException e) {
            LOG.warnf("refusing plan %s: %s", plan.requestId(), e.getMessage());
            Instant now = Instant.now();
            DeployResult refused = DeployResult.of(plan.requestId(), masterId, plan.environment(), null,
                    DeployStatus.FAILED, now, now, null, "refused: " + e.getMessage());
            return results.publish(refused).thenApply(ok -> Job.Done.of(refused, false));
        }
    }

    /**
     * Puts a job in its environment's lane: the newest waits, an older waiting one is superseded (SUPERSEDED, unless
     * it was a switch: its plan was answered STAGED). A switch and the staging of the same plan are one job: the
     * staging switches at once when the activation came.
     */
    private CompletableFuture<Job.Done> enqueue(Job job) {
        Job superseded;
        synchronized (this) {
            if (closed) {
                job.done().completeExceptionally(new CancellationException("agent is shutting down"));
                return job.done();
            }
            Lane lane = lanes.computeIfAbsent(job.environment(), e -> new Lane());
            superseded = lane.pending;
            if (superseded != null && superseded.requestId().equals(job.requestId())
                    && (job.action() == Job.Action.SWITCH || superseded.action() == Job.Action.SWITCH)) {
                if (job.action() == Job.Action.SWITCH) {
                    return superseded.done();
                }
                follow(superseded, job);
                superseded = null;
            }
            lane.pending = job;
            if (lane.running == null) {
                startNext(job.environment(), lane);
            }
        }
        if (superseded != null && superseded.action() == Job.Action.SWITCH) {
            LOG.infof("switch of %s to plan %s dropped: plan %s follows", job.environment(),
                    superseded.plan().digest(), job.requestId());
            superseded.done().complete(Job.Done.NOTHING);
        } else if (superseded != null) {
            LOG.infof("plan %s for %s superseded by %s", superseded.requestId(), job.environment(), job.requestId());
            complete(superseded, Job.Done.of(DeployResult.of(superseded.requestId(), masterId,
                    superseded.environment(), superseded.plan().commit(), DeployStatus.SUPERSEDED, null,
                    Instant.now(), null, null).withPlanDigest(superseded.plan().digest()), false));
        }
        return job.done();
    }

    /** {@code replaced} ends as {@code by} does (the same plan, one job). */
    private static void follow(Job replaced, Job by) {
        by.done().whenComplete((done, error) -> {
            if (error == null) {
                replaced.done().complete(done);
            } else {
                replaced.done().completeExceptionally(error);
            }
        });
    }

    /** Whether a newer plan than the job's waits in its lane. */
    private synchronized boolean newerPlanWaiting(Job job) {
        Lane lane = lanes.get(job.environment());
        return lane != null && lane.pending != null && !lane.pending.requestId().equals(job.requestId());
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
        Job.Done done;
        try {
            done = runner.execute(job);
        } catch (RuntimeException | Error e) {
            leaveLane(environment);
            startPending(environment);
            throw e;
        }
        // The lane is left before the job completes, so that whoever acts on its completion (a reconcile retrying
        // what failed) finds the environment free; a waiting job starts after, behind this job's results.
        boolean pending = leaveLane(environment);
        if (done == null) {
            job.done().completeExceptionally(new CancellationException("deploy interrupted by shutdown"));
        } else {
            complete(job, done);
        }
        if (pending) {
            startPending(environment);
        }
    }

    /** Marks the environment's lane idle and removes it when no job waits in it; true when one waits. */
    private synchronized boolean leaveLane(String environment) {
        Lane lane = lanes.get(environment);
        lane.running = null;
        if (lane.pending == null) {
            lanes.remove(environment);
            return false;
        }
        return true;
    }

    /** Starts the job waiting in the environment's idle lane, unless a new job started it already. */
    private synchronized void startPending(String environment) {
        Lane lane = lanes.get(environment);
        if (lane != null && lane.running == null && lane.pending != null && !closed) {
            startNext(environment, lane);
        }
    }

    /** Publishes the job's results in order, then completes it. */
    private void complete(Job job, Job.Done done) {
        CompletableFuture<Void> stored = CompletableFuture.completedFuture(null);
        for (DeployResult result : done.results()) {
            stored = stored.thenCompose(ok -> results.publish(result));
        }
        stored.whenComplete((ok, error) -> {
            if (error == null) {
                job.done().complete(done);
            } else {
                job.done().completeExceptionally(error);
            }
        });
    }
}
