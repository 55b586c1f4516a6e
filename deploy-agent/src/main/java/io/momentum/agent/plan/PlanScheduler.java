package io.momentum.agent.plan;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.agent.deployer.PlanResolver;
import io.momentum.agent.deployer.PlanResolver.Resolution;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * re-resolved at the same control commit; published even when the digest did not change (the request is answered:
 * masters already at that plan report it under the request without deploying).
 * <li>FULL_SYNC: every environment the sources define, at its branch head, and ABSENT for those with a plan that no
 * branch deploys any more (only where a source owns the name); published even when the plan did not change, like a
 * module request.
 * <li>{@link #catchUp()}: like a full sync, but only environments without a plan, whose plan is at another commit
 * than the branch head, or whose plan is FAILED.
 * </ul>
 * A pinned plan (a rollback) is left alone by everything but a push. While an environment's planning runs, only
 * the newest pending one waits (per module for MODULE requests; a push is never replaced by anything but a push):
 * older ones are dropped, the plan they would make being superseded. A plan that is not a push's is not published
 * when the environment's plan changed while it was being made (another agent planned a newer request). The future of
 * {@link #submit} completes once every plan the request caused is stored by Kafka, which is when its offset may be
 * committed; exceptionally only when the scheduler was closed first (the request must be planned again).
 *
 * <p>A planning that failed because a repository or the Forge could not be reached
 * ({@link Resolution#transientFailure}) is published FAILED at once like any other (the request is answered, masters
 * keep what they serve), then planned again after {@code retry}, doubling up to {@code retryMax}, for as long as the
 * environment's latest plan is still that FAILED one and no newer push for the environment came: a success is
 * published under the same request id, so the request goes from FAILED to deployed. A failure of content (a Puppetfile
 * that does not parse, a ref that does not exist) is not retried. Retries live in memory: they end when the scheduler
 * closes, and the {@link #catchUp()} of the next start plans a FAILED latest plan again (under its request id while
 * it is for the same branch, at its head or at no commit), retrying from there.
 */
public final class PlanScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PlanScheduler.class);
    private static final Duration PUBLISH_RETRY_DELAY = Duration.ofSeconds(5);
    /** {@code momentum.planner.retry} and {@code retry-max}'s defaults. */
    public static final Duration RETRY = Duration.ofSeconds(10);
    public static final Duration RETRY_MAX = Duration.ofMinutes(5);
    private static final String WHOLE = "plan";

    /**
     * What one job plans from the environment's latest plan (null when it has none); null, or an outcome without a
     * plan: nothing to publish.
     */
    @FunctionalInterface
    private interface Work {
        Outcome plan(DeployPlan latest) throws InterruptedException;
    }

    /** Plans the environment again under a request id: what a retry runs; null: nothing to plan any more. */
    @FunctionalInterface
    private interface Replan {
        Resolution plan(UUID requestId) throws InterruptedException;
    }

    /** A job's plan and, when it failed transiently, how to plan it again (else null). */
    private record Outcome(DeployPlan plan, Replan again) {

        static Outcome of(DeployPlan plan) {
            return new Outcome(plan, null);
        }

        static Outcome of(Resolution resolution, Replan again) {
            return resolution == null ? null
                    : new Outcome(resolution.plan(), resolution.transientFailure() ? again : null);
        }
    }

    /**
     * {@code answers}: the job answers a request, so its plan is published even when it changes nothing (the
     * masters then report under the request that they are at that plan already); {@code retry}: the retry this job
     * runs, null for a job a request or the catch-up made.
     */
    private record Job(UUID requestId, String environment, String key, boolean push, boolean answers, Work work,
            CompletableFuture<Void> done, Retry retry) {

        Job(UUID requestId, String environment, String key, boolean push, boolean answers, Work work,
                CompletableFuture<Void> done) {
            this(requestId, environment, key, push, answers, work, done, null);
        }
    }

    /** The environment's FAILED latest plan, planned again after {@code delay} (at most one per environment). */
    private static final class Retry {
        final DeployPlan failed;
        final Replan again;
        final Duration delay;
        final int attempt;
        ScheduledFuture<?> timer;

        Retry(DeployPlan failed, Replan again, Duration delay, int attempt) {
            this.failed = failed;
            this.again = again;
            this.delay = delay;
            this.attempt = attempt;
        }

        void cancel() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
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
    private final Duration retry;
    private final Duration retryMax;
    private final ExecutorService workers;
    private final ExecutorService listing;
    private final ScheduledExecutorService retries;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Retry> retrying = new HashMap<>();
    private volatile boolean closed;

    public PlanScheduler(PlanResolver resolver, Targets targets, PlanBook book, PlanSink sink,
            RolloutPolicy rollouts, int maxParallelEnvironments) {
        this(resolver, targets, book, sink, rollouts, maxParallelEnvironments, RETRY, RETRY_MAX);
    }

    /**
     * @param retry how long after a transient planning failure the environment is planned again; doubled after each
     *     failed attempt
     * @param retryMax the longest wait between two attempts
     */
    public PlanScheduler(PlanResolver resolver, Targets targets, PlanBook book, PlanSink sink,
            RolloutPolicy rollouts, int maxParallelEnvironments, Duration retry, Duration retryMax) {
        this(resolver, targets, book, sink, rollouts, maxParallelEnvironments, PUBLISH_RETRY_DELAY, retry, retryMax);
    }

    PlanScheduler(PlanResolver resolver, Targets targets, PlanBook book, PlanSink sink, RolloutPolicy rollouts,
            int maxParallelEnvironments, Duration publishRetryDelay, Duration retry, Duration retryMax) {
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("momentum.planner.retry must be positive, not " + retry);
        }
        this.retry = retry;
        this.retryMax = retryMax.compareTo(retry) < 0 ? retry : retryMax;
        this.resolver = resolver;
        this.targets = targets;
        this.book = book;
        this.sink = sink;
        this.rollouts = rollouts;
        this.publishRetryDelay = publishRetryDelay;
        this.workers = Executors.newFixedThreadPool(maxParallelEnvironments, DaemonThreads.factory("momentum-plan"));
        this.listing = Executors.newSingleThreadExecutor(DaemonThreads.factory("momentum-plan-listing"));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.factory("momentum-plan-retry"));
        timers.setRemoveOnCancelPolicy(true);
        this.retries = timers;
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
     * Plans every environment the sources define that has no plan yet, whose plan is at another commit than its
     * branch head, or whose plan is FAILED (not pinned), and ABSENT for planned environments no branch deploys any
     * more: what a fleet that was down, or upgraded from agents that planned nothing, is missing, and the retries of
     * the planner that stopped. A FAILED plan of the same branch at its head (or at no commit: the control repository
     * could not be fetched) is planned again under its own request id, and published only when the outcome changed.
     * Completes exceptionally with the
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
            retrying.values().forEach(Retry::cancel);
            retrying.clear();
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
            return enqueue(new Job(id, environment, WHOLE, true, true, latest -> Outcome.of(
                    DeployPlan.absent(id, environment, request.source(), request.branch(), Instant.now())),
                    new CompletableFuture<>()));
        }
        EnvironmentTarget target;
        try {
            target = targets.forRequest(request);
        } catch (InvalidNameException e) {
            LOG.warnf("refusing request %s: %s", id, e.getMessage());
            return enqueue(new Job(id, environment, WHOLE, true, true, latest -> Outcome.of(DeployPlan.failed(id,
                    environment, request.source(), request.branch(), request.commit(), "refused: " + e.getMessage(),
                    Instant.now())), new CompletableFuture<>()));
        }
        Replan again = planning(target);
        return enqueue(new Job(id, environment, WHOLE, true, true, latest -> Outcome.of(again.plan(id), again),
                new CompletableFuture<>()));
    }

    /** The whole environment at the target (its commit, else its branch head), under a request id. */
    private Replan planning(EnvironmentTarget target) {
        return requestId -> resolver.resolve(requestId, target, book.lastPlanned(target.environment()),
                Instant.now());
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
        // Every environment's first planning of this request asks the module's remote (and the control's) once.
        long received = System.nanoTime();
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        book.all().values().stream().filter(plan -> !plan.pinned() && holds(plan, module)).forEach(plan -> {
            String environment = plan.environment();
            // Again after a transient failure: the module re-resolved in the plan the FAILED one did not replace.
            Replan again = requestId -> {
                DeployPlan planned = book.lastPlanned(environment);
                return planned != null && !planned.pinned() && holds(planned, module)
                        ? resolver.resolveModule(requestId, planned, module, Instant.now()) : null;
            };
            jobs.add(enqueue(new Job(id, environment, "module:" + module, false, true,
                    latest -> holds(latest, module)
                            ? Outcome.of(resolver.resolveModule(id, latest, module, Instant.now(), received), again)
                            : null,
                    new CompletableFuture<>())));
        });
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
        // The environments' first plannings ask each remote once for the whole sync (retries ask again).
        long started = System.nanoTime();
        // A full sync answers its request for every environment it plans; the catch-up answers none.
        boolean answers = requestId != null;
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
                boolean failed = latest != null && latest.status() == PlanStatus.FAILED;
                // A FAILED plan at the head is planned again: its repositories may be reachable by now.
                boolean current = latest != null && target.commit().equals(latest.commit()) && !failed;
                if (latest != null && latest.pinned() || onlyMissingOrBehind && current) {
                    continue;
                }
                UUID id = requestId != null ? requestId
                        : failed && sameRequest(latest, target) ? latest.requestId() : UUID.randomUUID();
                Replan again = planning(target);
                jobs.add(enqueue(new Job(id, target.environment(), WHOLE, false, answers,
                        l -> Outcome.of(resolver.resolve(id, target, book.lastPlanned(target.environment()),
                                Instant.now(), started), again), new CompletableFuture<>())));
            }
            int planned = jobs.size();
            plans.forEach((environment, latest) -> {
                if (latest.status() != PlanStatus.ABSENT && !latest.pinned()
                        && !result.environments().containsKey(environment)
                        && !result.contested().contains(environment) && targets.owned(environment)) {
                    UUID id = requestId == null ? UUID.randomUUID() : requestId;
                    jobs.add(enqueue(new Job(id, environment, WHOLE, false, answers, l -> Outcome.of(
                            DeployPlan.absent(id, environment, latest.source(), latest.branch(), Instant.now())),
                            new CompletableFuture<>())));
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

    /**
     * Whether the catch-up's planning of {@code target} answers the request a FAILED plan answered: same source and
     * branch, and the plan at the branch head or at no commit (the control repository could not be fetched).
     */
    private static boolean sameRequest(DeployPlan failed, EnvironmentTarget target) {
        return Objects.equals(failed.source(), target.source()) && Objects.equals(failed.branch(), target.branch())
                && (failed.commit() == null || failed.commit().equals(target.commit()));
    }

    private CompletableFuture<Void> enqueue(Job job) {
        Job dropped = null;
        synchronized (this) {
            if (closed) {
                job.done().completeExceptionally(new CancellationException("the planner is closed"));
                return job.done();
            }
            if (job.push()) {
                // A newer request for the environment: whatever it plans replaces the FAILED plan being retried.
                cancelRetry(job.environment());
            }
            Lane lane = lanes.computeIfAbsent(job.environment(), e -> new Lane());
            Job waiting = lane.pending.get(job.key());
            if (waiting != null && (waiting.push() && !job.push() || job.retry() != null)) {
                // A retry never replaces a waiting planning of the whole environment: that one plans it anew.
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
        Outcome outcome;
        DeployPlan next;
        try {
            outcome = !job.push() && basis != null && basis.pinned() ? null : job.work().plan(basis);
            next = outcome == null || outcome.plan() == null ? null : rollouts.apply(outcome.plan());
        } catch (InterruptedException e) {
            finish(job, new CancellationException("planning of " + environment + " interrupted by shutdown"));
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "planning %s for request %s failed; skipped", environment, job.requestId());
            if (job.retry() != null) {
                endRetry(environment, job.retry());
            }
            finish(job, null);
            return;
        }
        Replan again = outcome == null ? null : outcome.again();
        if (job.retry() != null && !retryCurrent(environment, job.retry())) {
            LOG.infof("planning %s again for request %s: dropped, a newer request plans it", environment,
                    job.requestId());
            finish(job, null);
            return;
        }
        if (next == null || !job.answers() && !changes(basis, next)
                || !job.push() && !Objects.equals(book.latest(environment).orElse(null), basis)) {
            if (again != null && next != null && basis != null && basis.status() == PlanStatus.FAILED
                    && !changes(basis, next) && Objects.equals(book.latest(environment).orElse(null), basis)) {
                // Still failing the same way: the latest plan says so already.
                scheduleRetry(environment, basis, again);
            } else if (job.retry() != null) {
                endRetry(environment, job.retry());
            }
            finish(job, null);
            return;
        }
        String retried = job.retry() == null ? "" : " (retry " + job.retry().attempt + ")";
        if (next.status() == PlanStatus.FAILED) {
            LOG.warnf("planning %s for request %s failed%s: %s", environment, job.requestId(), retried,
                    next.error());
        } else {
            LOG.infof("planned %s for request %s%s: %s %s at %s, rollout %s", environment, job.requestId(), retried,
                    next.status(), next.digest(), next.commit(), next.rollout());
        }
        publish(job, next, again);
    }

    /**
     * Publishes until Kafka stores the plan; only closing the planner gives up (the request stays uncommitted). Once
     * stored, a FAILED plan that {@code again} may still plan is retried; any other plan ends the environment's retry.
     */
    private void publish(Job job, DeployPlan plan, Replan again) {
        CompletableFuture<Void> sent;
        try {
            sent = sink.publish(plan).toCompletableFuture();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error == null) {
                book.record(plan);
                if (again != null && plan.status() == PlanStatus.FAILED) {
                    scheduleRetry(plan.environment(), plan, again);
                } else {
                    clearRetry(plan.environment());
                }
                finish(job, null);
                return;
            }
            LOG.warnf("cannot publish the plan of %s for request %s (retrying in %s): %s", plan.environment(),
                    plan.requestId(), publishRetryDelay, error.getMessage());
            try {
                retries.schedule(() -> publish(job, plan, again), publishRetryDelay.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                finish(job, new CancellationException("the planner is closed"));
            }
        });
    }

    /**
     * Plans the environment again later, under the FAILED plan's request id: after {@code retry} for a new failed
     * plan, else twice the last wait up to {@code retryMax}. Nothing when a push for the environment waits (it plans
     * the environment anew) or a retry of that plan is already waiting.
     */
    private synchronized void scheduleRetry(String environment, DeployPlan failed, Replan again) {
        if (closed) {
            return;
        }
        Lane lane = lanes.get(environment);
        if (lane != null && lane.pending.values().stream().anyMatch(Job::push)) {
            return;
        }
        Retry current = retrying.get(environment);
        boolean same = current != null && current.failed.requestId().equals(failed.requestId());
        if (same && current.timer != null && !current.timer.isDone()) {
            return;
        }
        Duration doubled = same ? current.delay.multipliedBy(2) : retry;
        Duration delay = doubled.compareTo(retryMax) > 0 ? retryMax : doubled;
        Retry next = new Retry(failed, again, delay, same ? current.attempt + 1 : 1);
        if (current != null) {
            current.cancel();
        }
        try {
            next.timer = retries.schedule(() -> fire(environment, next), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            retrying.remove(environment);
            return;
        }
        retrying.put(environment, next);
        LOG.warnf("planning %s for request %s could not reach a repository or the Forge: planning it again in %s "
                + "(retry %d): %s", environment, failed.requestId(), delay, next.attempt, failed.error());
    }

    /** A retry's time came: plans the environment again unless its latest plan is no longer that FAILED one. */
    private void fire(String environment, Retry entry) {
        synchronized (this) {
            if (closed || retrying.get(environment) != entry) {
                return;
            }
        }
        UUID id = entry.failed.requestId();
        LOG.infof("planning %s again for request %s (retry %d after %s)", environment, id, entry.attempt,
                entry.delay);
        enqueue(new Job(id, environment, WHOLE, false, false, latest -> stillFailed(latest, entry.failed)
                ? Outcome.of(entry.again.plan(id), entry.again) : null, new CompletableFuture<>(), entry));
    }

    private static boolean stillFailed(DeployPlan latest, DeployPlan failed) {
        return latest != null && latest.status() == PlanStatus.FAILED && !latest.pinned()
                && latest.requestId().equals(failed.requestId());
    }

    private synchronized boolean retryCurrent(String environment, Retry entry) {
        return retrying.get(environment) == entry;
    }

    private synchronized void endRetry(String environment, Retry entry) {
        if (retrying.get(environment) == entry) {
            retrying.remove(environment);
        }
    }

    /** The environment's latest plan is no FAILED one being retried any more. */
    private synchronized void clearRetry(String environment) {
        Retry dropped = retrying.remove(environment);
        if (dropped != null) {
            dropped.cancel();
        }
    }

    /** A push for the environment came: it answers for the FAILED plan being retried. Called with the lock held. */
    private void cancelRetry(String environment) {
        Retry dropped = retrying.remove(environment);
        if (dropped != null) {
            dropped.cancel();
            LOG.infof("planning %s again for request %s: stopped, a newer request came", environment,
                    dropped.failed.requestId());
        }
    }

    /** The environments whose FAILED plan waits to be planned again (tests). */
    synchronized Set<String> retrying() {
        return new TreeSet<>(retrying.keySet());
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
