package io.momentum.agent.schedule;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs deploy requests against a {@link Deployer}: one deploy per environment at a time, the newest pending request
 * of an environment next (older pending ones are answered SUPERSEDED), different environments in parallel up to a
 * bound. Every request gets a result per environment it touched; the future of {@link #submit} completes when all of
 * them are stored, which is when the request's offset may be committed. A future that completes exceptionally (the
 * scheduler was closed before the work finished) means: do not commit, the request must be redelivered.
 */
public final class DeployScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeployScheduler.class);
    private static final Duration PUBLISH_RETRY_DELAY = Duration.ofSeconds(5);

    /** The work of one environment: at most one job running, the newest pending job per coalescing key. */
    private static final class Lane {
        Job running;
        final LinkedHashMap<String, Job> pending = new LinkedHashMap<>();
    }

    private final Deployer deployer;
    private final Targets targets;
    private final JobRunner runner;
    private final ResultPublisher results;
    private final String masterId;
    private final ExecutorService workers;
    private final ExecutorService listing;
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
        this.listing = Executors.newSingleThreadExecutor(DaemonThreads.factory("momentum-branch-listing"));
    }

    /** Schedules a request; the future completes once every result it causes is stored. */
    public CompletableFuture<Void> submit(DeployRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new CancellationException("the scheduler is closed"));
        }
        return switch (request.kind()) {
            case ENVIRONMENT -> submitEnvironment(request);
            case MODULE -> submitModule(request);
            case FULL_SYNC -> fromListing(request.requestId(), false);
        };
    }

    /**
     * Deploys every environment the control repositories define that is not deployed at its branch head (missing or
     * behind), and purges the managed environments no rule allows any more, as a new master does before it reports
     * READY. Each of those publishes a result under a fresh request id. Completes exceptionally with
     * {@link SourcesUnreachable} when a control repository cannot be listed (transport or authentication): nothing
     * is deployed or purged then, and the caller retries.
     */
    public CompletableFuture<Void> catchUp() {
        return fromListing(null, true);
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
     * leaves the previous version live). Pending and interrupted work completes exceptionally: not committed.
     */
    public void close(Duration grace) {
        List<Job> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            lanes.values().forEach(lane -> dropped.addAll(lane.pending.values()));
            lanes.values().forEach(lane -> lane.pending.clear());
        }
        dropped.forEach(job -> job.done().completeExceptionally(new CancellationException("agent is shutting down")));
        listing.shutdownNow();
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

    private CompletableFuture<Void> submitEnvironment(DeployRequest request) {
        if (request.environment() == null) {
            LOG.warnf("request %s names no environment: ignored", request.requestId());
            return CompletableFuture.completedFuture(null);
        }
        Job job;
        try {
            if (request.deleted()) {
                String environment = EnvironmentNames.requireValid(request.environment());
                job = new Job(request.requestId(), Job.Action.PURGE, environment, null, null, null,
                        new CompletableFuture<>());
            } else {
                EnvironmentTarget target = targets.forRequest(request);
                job = new Job(request.requestId(), Job.Action.DEPLOY, target.environment(), target, null,
                        target.commit(), new CompletableFuture<>());
            }
        } catch (InvalidNameException e) {
            LOG.warnf("refusing request %s: %s", request.requestId(), e.getMessage());
            Instant now = Instant.now();
            return results.publish(DeployResult.of(request.requestId(), masterId, request.environment(), null,
                    DeployStatus.FAILED, now, now, null, "refused: " + e.getMessage()));
        }
        return enqueue(job);
    }

    private CompletableFuture<Void> submitModule(DeployRequest request) {
        String module;
        try {
            module = EnvironmentNames.requireValidModule(request.module());
        } catch (InvalidNameException e) {
            LOG.warnf("refusing module request %s: %s", request.requestId(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        deployer.deployedEnvironments().forEach((environment, commit) -> {
            EnvironmentTarget known = runner.lastTarget(environment).orElse(null);
            EnvironmentTarget target = known != null
                    ? new EnvironmentTarget(environment, known.source(), known.remote(), known.branch(), commit)
                    : targets.forDeployed(environment, commit).orElse(null);
            if (target == null) {
                LOG.warnf("module %s: environment %s belongs to no configured source, skipped", module, environment);
                return;
            }
            jobs.add(enqueue(new Job(request.requestId(), Job.Action.MODULE, environment, target, module, commit,
                    new CompletableFuture<>())));
        });
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new));
    }

    /**
     * Lists the sources' branches (off the caller's thread) and deploys all of them, or those missing/behind; then
     * purges what no rule allows (r10k's {@code purge_levels: environment}).
     */
    private CompletableFuture<Void> fromListing(UUID requestId, boolean onlyMissingOrBehind) {
        CompletableFuture<BranchLister.Listing> listed;
        try {
            listed = CompletableFuture.supplyAsync(() -> {
                try {
                    return targets.list();
                } catch (DeployException e) {
                    throw new SourcesUnreachable(e.getMessage());
                }
            }, listing);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CancellationException("the scheduler is closed"));
        }
        return listed.thenCompose(result -> {
            result.problems().forEach(problem -> LOG.warnf("control repository: %s", problem));
            result.skipped().forEach(skipped -> LOG.debugf("not deployed: %s", skipped));
            Map<String, String> deployed = deployer.deployedEnvironments();
            Collection<EnvironmentTarget> wanted = result.environments().values().stream()
                    .filter(t -> !onlyMissingOrBehind || !t.commit().equals(deployed.get(t.environment())))
                    .toList();
            List<String> unwanted = deployed.keySet().stream()
                    .filter(environment -> !result.environments().containsKey(environment)
                            && !result.contested().contains(environment) && targets.owned(environment))
                    .toList();
            LOG.infof("%s: deploying %d of %d environments, purging %d no rule allows (%d branches skipped)",
                    onlyMissingOrBehind ? "catch-up" : "full sync", wanted.size(), result.environments().size(),
                    unwanted.size(), result.skipped().size());
            List<CompletableFuture<Void>> jobs = new ArrayList<>();
            wanted.forEach(t -> jobs.add(enqueue(new Job(requestId == null ? UUID.randomUUID() : requestId,
                    Job.Action.DEPLOY, t.environment(), t, null, t.commit(), new CompletableFuture<>()))));
            unwanted.forEach(environment -> jobs.add(purgeUnlessBusy(new Job(requestId == null ? UUID.randomUUID()
                    : requestId, Job.Action.PURGE, environment, null, null, null, new CompletableFuture<>()))));
            return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new));
        }).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            if (cause instanceof SourcesUnreachable unreachable) {
                LOG.errorf("cannot list the control repositories' branches: %s", cause.getMessage());
                // A full sync has nothing to key a result on (the next one lists again); a catch-up is retried.
                return onlyMissingOrBehind ? CompletableFuture.failedFuture(unreachable)
                        : CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * A purge of an environment no rule allows, unless a deploy of it is running or waiting: a request that
     * arrived after the listing knows better than the listing.
     */
    private CompletableFuture<Void> purgeUnlessBusy(Job purge) {
        synchronized (this) {
            if (lanes.containsKey(purge.environment())) {
                purge.done().complete(null);
                return purge.done();
            }
        }
        LOG.infof("purging %s: no rule of momentum.sources deploys it any more", purge.environment());
        return enqueue(purge);
    }

    private CompletableFuture<Void> enqueue(Job job) {
        Job superseded;
        synchronized (this) {
            if (closed) {
                job.done().completeExceptionally(new CancellationException("agent is shutting down"));
                return job.done();
            }
            Lane lane = lanes.computeIfAbsent(job.environment(), e -> new Lane());
            superseded = lane.pending.remove(job.coalescingKey());
            lane.pending.put(job.coalescingKey(), job);
            if (lane.running == null) {
                startNext(job.environment(), lane);
            }
        }
        if (superseded != null) {
            LOG.infof("request %s for %s superseded by %s", superseded.requestId(), job.environment(),
                    job.requestId());
            Instant now = Instant.now();
            complete(superseded, DeployResult.of(superseded.requestId(), masterId, superseded.environment(),
                    superseded.commit(), DeployStatus.SUPERSEDED, null, now, null, null));
        }
        return job.done();
    }

    /** Called with the lock held. */
    private void startNext(String environment, Lane lane) {
        var first = lane.pending.entrySet().iterator();
        Job next = first.next().getValue();
        first.remove();
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
            DeployResult result = runner.execute(job);
            if (result == null) {
                job.done().completeExceptionally(new CancellationException("deploy interrupted by shutdown"));
            } else {
                complete(job, result);
            }
        } finally {
            synchronized (this) {
                Lane lane = lanes.get(environment);
                lane.running = null;
                if (lane.pending.isEmpty()) {
                    lanes.remove(environment);
                } else if (!closed) {
                    startNext(environment, lane);
                }
            }
        }
    }

    private void complete(Job job, DeployResult result) {
        results.publish(result).whenComplete((ok, error) -> {
            if (error == null) {
                job.done().complete(null);
            } else {
                job.done().completeExceptionally(error);
            }
        });
    }
}
