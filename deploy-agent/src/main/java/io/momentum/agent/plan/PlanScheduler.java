package io.momentum.agent.plan;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.agent.deployer.PlanResolver;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.PlanStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Turns deploy requests into plans and publishes them: one planning per environment at a time, different
 * environments in parallel up to a bound, off the consumer's thread. What each request kind plans:
 * <ul>
 * <li>ENVIRONMENT (a push): the environment at the request's commit or its branch head; ABSENT when the branch was
 * deleted; FAILED ({@code refused: ...}) when the source's rules do not deploy the branch there. Always published
 * (the request is answered), and it unpins a rolled-back environment.
 * <li>MODULE: every environment whose latest plan is PLANNED, not pinned and holds the module, that module alone
 * re-resolved at the same control commit; published only when the digest changed.
 * <li>FULL_SYNC: every environment the sources define, at its branch head, and ABSENT for those with a plan that no
 * branch deploys any more (only where a source owns the name); published only when the plan changed.
 * <li>{@link #catchUp()}: like a full sync, but only environments without a plan or whose plan is at another commit
 * than the branch head.
 * </ul>
 * A pinned plan (a rollback) is left alone by everything but a push. While an environment's planning runs, only
 * the newest pending one waits (per module for MODULE requests; a push is never replaced by anything but a push):
 * older ones are dropped, the plan they would make being superseded. A plan that is not a push's is not published
 * when the environment's plan changed while it was being made (another agent planned a newer request). The future of
 * {@link #submit} completes once every plan the request caused is stored by Kafka, which is when its offset may be
 * committed; exceptionally only when the scheduler was closed first (the request must be planned again).
 */
public final class PlanScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PlanScheduler.class);
    private static final Duration PUBLISH_RETRY_DELAY = Duration.ofSeconds(5);
    private static final String WHOLE = "plan";

    /** What one job plans from the environment's latest plan (null when it has none); null: nothing to publish. */
    @FunctionalInterface
    private interface Work {
        DeployPlan plan(DeployPlan latest) throws InterruptedException;
    }

    private record Job(UUID requestId, String environment, String key, boolean push, Work work,
            CompletableFuture<Void> done) {
    }

    private static final class Lane {
        Job running;
        final LinkedHashMap<String, Job> pending = new LinkedHashMap<>();
    }

    private final PlanResolver resolver;
    private final Targets targets;
    private final PlanBook book;
    private final PlanSink sink;
    private final RolloutPolicy rollouts;
    private final Duration publishRetryDelay;
    private final ExecutorService workers;
    private final ExecutorService listing;
    private final ScheduledExecutorService retries;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private volatile boolean closed;

    public PlanScheduler(PlanResolver resolver, Targets targets, PlanBook book, PlanSink sink,
            RolloutPolicy rollouts, int maxParallelEnvironments) {
        this(resolver, targets, book, sink, rollouts, maxParallelEnvironments, PUBLISH_RETRY_DELAY);
    }

    PlanScheduler(PlanResolver resolver, Targets targets, PlanBook book, PlanSink sink, RolloutPolicy rollouts,
            int maxParallelEnvironments, Duration publishRetryDelay) {
        this.resolver = resolver;
        this.targets = targets;
        this.book = book;
        this.sink = sink;
        this.rollouts = rollouts;
        this.publishRetryDelay = publishRetryDelay;
        this.workers = Executors.newFixedThreadPool(maxParallelEnvironments, DaemonThreads.factory("momentum-plan"));
        this.listing = Executors.newSingleThreadExecutor(DaemonThreads.factory("momentum-plan-listing"));
        this.retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("momentum-plan-retry"));
    }

    /** Plans a request; the future completes once every plan it causes is stored. */
    public CompletableFuture<Void> submit(DeployRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new CancellationException("the planner is closed"));
        }
        return switch (request.kind()) {
            case ENVIRONMENT -> submitEnvironment(request);
            case MODULE -> submitModule(request);
            case FULL_SYNC -> fromListing(request.requestId(), false);
        };
    }

    /**
     * Plans every environment the sources define that has no plan yet or whose plan is at another commit than its
     * branch head (not pinned), and ABSENT for planned environments no branch deploys any more: what a fleet that
     * was down, or upgraded from agents that planned nothing, is missing. Completes exceptionally with the
     * {@link DeployException} saying why when a control repository cannot be listed; nothing is planned then.
     */
    public CompletableFuture<Void> catchUp() {
        return fromListing(null, true);
    }

    /**
     * Stops taking work, lets running plannings finish for up to {@code grace}, then interrupts them. Pending and
     * interrupted work completes exceptionally: not committed, planned again by whoever gets the request next.
     */
    public void close(Duration grace) {
        List<Job> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            lanes.values().forEach(lane -> dropped.addAll(lane.pending.values()));
            lanes.values().forEach(lane -> lane.pending.clear());
        }
        dropped.forEach(job -> job.done().completeExceptionally(new CancellationException("the planner is closed")));
        listing.shutdownNow();
        retries.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
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

    /** Whether publishing {@code next} tells the masters something the environment's latest plan does not. */
    static boolean changes(DeployPlan latest, DeployPlan next) {
        return latest == null || latest.pinned() || latest.status() != next.status()
                || !Objects.equals(latest.digest(), next.digest()) || !Objects.equals(latest.commit(), next.commit())
                || !Objects.equals(latest.error(), next.error()) || !Objects.equals(latest.source(), next.source())
                || !Objects.equals(latest.branch(), next.branch());
    }

    private CompletableFuture<Void> submitEnvironment(DeployRequest request) {
        String environment = request.environment();
        if (environment == null || !EnvironmentNames.isValid(environment)) {
            LOG.warnf("request %s names no usable environment (%s): ignored", request.requestId(), environment);
            return CompletableFuture.completedFuture(null);
        }
        UUID id = request.requestId();
        if (request.deleted()) {
            return enqueue(new Job(id, environment, WHOLE, true,
                    latest -> DeployPlan.absent(id, environment, request.source(), request.branch(), Instant.now()),
                    new CompletableFuture<>()));
        }
        EnvironmentTarget target;
        try {
            target = targets.forRequest(request);
        } catch (InvalidNameException e) {
            LOG.warnf("refusing request %s: %s", id, e.getMessage());
            return enqueue(new Job(id, environment, WHOLE, true, latest -> DeployPlan.failed(id, environment,
                    request.source(), request.branch(), request.commit(), "refused: " + e.getMessage(),
                    Instant.now()), new CompletableFuture<>()));
        }
        return enqueue(new Job(id, environment, WHOLE, true,
                latest -> resolver.plan(id, target, book.lastPlanned(environment), Instant.now()),
                new CompletableFuture<>()));
    }

    private CompletableFuture<Void> submitModule(DeployRequest request) {
        String module;
        try {
            module = EnvironmentNames.requireValidModule(request.module());
        } catch (InvalidNameException e) {
            LOG.warnf("refusing module request %s: %s", request.requestId(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        UUID id = request.requestId();
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        book.all().values().stream().filter(plan -> !plan.pinned() && holds(plan, module)).forEach(plan -> jobs.add(
                enqueue(new Job(id, plan.environment(), "module:" + module, false,
                        latest -> holds(latest, module) ? resolver.replanModule(id, latest, module, Instant.now())
                                : null,
                        new CompletableFuture<>()))));
        LOG.infof("module %s: re-planning %d environments", module, jobs.size());
        return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new));
    }

    private static boolean holds(DeployPlan plan, String module) {
        return plan != null && plan.status() == PlanStatus.PLANNED
                && plan.modules().stream().anyMatch(m -> m.name().equals(module));
    }

    /** Lists the sources (off the caller's thread) and plans from the listing: a full sync or the catch-up. */
    private CompletableFuture<Void> fromListing(UUID requestId, boolean onlyMissingOrBehind) {
        String what = onlyMissingOrBehind ? "catch-up" : "full sync";
        CompletableFuture<BranchLister.Listing> listed;
        try {
            listed = CompletableFuture.supplyAsync(() -> {
                try {
                    return targets.list();
                } catch (DeployException e) {
                    throw new CompletionException(e);
                }
            }, listing);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new CancellationException("the planner is closed"));
        }
        return listed.thenCompose(result -> {
            result.problems().forEach(problem -> LOG.warnf("control repository: %s", problem));
            Map<String, DeployPlan> plans = book.all();
            List<CompletableFuture<Void>> jobs = new ArrayList<>();
            for (EnvironmentTarget target : result.environments().values()) {
                DeployPlan latest = plans.get(target.environment());
                boolean current = latest != null && target.commit().equals(latest.commit());
                if (latest != null && latest.pinned() || onlyMissingOrBehind && current) {
                    continue;
                }
                UUID id = requestId == null ? UUID.randomUUID() : requestId;
                jobs.add(enqueue(new Job(id, target.environment(), WHOLE, false,
                        l -> resolver.plan(id, target, book.lastPlanned(target.environment()), Instant.now()),
                        new CompletableFuture<>())));
            }
            int planned = jobs.size();
            plans.forEach((environment, latest) -> {
                if (latest.status() != PlanStatus.ABSENT && !latest.pinned()
                        && !result.environments().containsKey(environment)
                        && !result.contested().contains(environment) && targets.owned(environment)) {
                    UUID id = requestId == null ? UUID.randomUUID() : requestId;
                    jobs.add(enqueue(new Job(id, environment, WHOLE, false, l -> DeployPlan.absent(id, environment,
                            latest.source(), latest.branch(), Instant.now()), new CompletableFuture<>())));
                }
            });
            LOG.infof("%s: planning %d of %d environments, %d no branch deploys any more", what, planned,
                    result.environments().size(), jobs.size() - planned);
            return CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new));
        }).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof DeployException) {
                LOG.errorf("%s: cannot list the control repositories' branches: %s", what, cause.getMessage());
                // A full sync has nothing to answer (the next one lists again); the catch-up is retried.
                return onlyMissingOrBehind ? CompletableFuture.failedFuture(cause)
                        : CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<Void> enqueue(Job job) {
        Job dropped = null;
        synchronized (this) {
            if (closed) {
                job.done().completeExceptionally(new CancellationException("the planner is closed"));
                return job.done();
            }
            Lane lane = lanes.computeIfAbsent(job.environment(), e -> new Lane());
            Job waiting = lane.pending.get(job.key());
            if (waiting != null && waiting.push() && !job.push()) {
                dropped = job;
            } else {
                dropped = lane.pending.remove(job.key());
                if (job.key().equals(WHOLE)) {
                    // Planning the whole environment re-resolves every module: pending module jobs are superseded.
                    lane.pending.values().forEach(module -> module.done().complete(null));
                    lane.pending.clear();
                }
                lane.pending.put(job.key(), job);
            }
            if (lane.running == null) {
                startNext(job.environment(), lane);
            }
        }
        if (dropped != null) {
            LOG.debugf("planning of %s for request %s superseded", dropped.environment(), dropped.requestId());
            dropped.done().complete(null);
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
            workers.execute(() -> run(next));
        } catch (RejectedExecutionException e) {
            finish(next, new CancellationException("the planner is closed"));
        }
    }

    private void run(Job job) {
        String environment = job.environment();
        DeployPlan basis = book.latest(environment).orElse(null);
        DeployPlan next;
        try {
            next = !job.push() && basis != null && basis.pinned() ? null : job.work().plan(basis);
            next = next == null ? null : rollouts.apply(next);
        } catch (InterruptedException e) {
            finish(job, new CancellationException("planning of " + environment + " interrupted by shutdown"));
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "planning %s for request %s failed; skipped", environment, job.requestId());
            finish(job, null);
            return;
        }
        if (next == null || !job.push() && (!changes(basis, next)
                || !Objects.equals(book.latest(environment).orElse(null), basis))) {
            finish(job, null);
            return;
        }
        if (next.status() == PlanStatus.FAILED) {
            LOG.warnf("planning %s for request %s failed: %s", environment, job.requestId(), next.error());
        } else {
            LOG.infof("planned %s for request %s: %s %s at %s, rollout %s", environment, job.requestId(),
                    next.status(), next.digest(), next.commit(), next.rollout());
        }
        publish(job, next);
    }

    /** Publishes until Kafka stores the plan; only closing the planner gives up (the request stays uncommitted). */
    private void publish(Job job, DeployPlan plan) {
        CompletableFuture<Void> sent;
        try {
            sent = sink.publish(plan).toCompletableFuture();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                book.record(plan);
                finish(job, null);
                return;
            }
            LOG.warnf("cannot publish the plan of %s for request %s (retrying in %s): %s", plan.environment(),
                    plan.requestId(), publishRetryDelay, error.getMessage());
            try {
                retries.schedule(() -> publish(job, plan), publishRetryDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                finish(job, new CancellationException("the planner is closed"));
            }
        });
    }

    /** Frees the environment's lane for its next job and completes this one ({@code error} null: done). */
    private void finish(Job job, Throwable error) {
        synchronized (this) {
            Lane lane = lanes.get(job.environment());
            if (lane != null && lane.running == job) {
                lane.running = null;
                if (lane.pending.isEmpty()) {
                    lanes.remove(job.environment());
                } else if (!closed) {
                    startNext(job.environment(), lane);
                }
            }
        }
        if (error == null) {
            job.done().complete(null);
        } else {
            job.done().completeExceptionally(error);
        }
    }
}
