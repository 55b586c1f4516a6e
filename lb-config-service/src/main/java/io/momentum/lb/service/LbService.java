package io.momentum.lb.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.Debouncer;
import io.momentum.lb.domain.LoadBalancer;
import io.momentum.lb.domain.Reconciler;
import io.momentum.lb.domain.RevisionCounter;
import io.momentum.lb.domain.RevisionStore;
import io.momentum.lb.domain.TaskScheduler;
import io.momentum.lb.domain.UpstreamFleet;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.MasterStatus;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * Ties the pieces together: status records update the fleet; once the compacted topic has been replayed to its
 * end, every change of the backend set is debounced and applied to the configured load balancers on one thread,
 * and each attempt is published. Made at start-up, so that a wrong {@code momentum.lb.*} setting (an unknown load
 * balancer, say) fails the start instead of the first apply.
 */
@Startup
@ApplicationScoped
public class LbService {

    private static final Logger LOG = Logger.getLogger(LbService.class);

    @Inject
    LbConfig config;

    @Inject
    List<LoadBalancer> loadBalancers;

    @Inject
    RevisionStore revisions;

    @Inject
    AttemptPublisher publisher;

    @Inject
    MeterRegistry registry;

    private UpstreamFleet fleet;
    private Reconciler reconciler;
    private Debouncer debouncer;
    private ScheduledExecutorService executor;
    private volatile boolean caughtUp;

    /** The desired set and what every load balancer has live. */
    public record Snapshot(boolean caughtUp, BackendSet desired, Map<String, Reconciler.BackendView> backends) {
    }

    @PostConstruct
    void init() {
        fleet = new UpstreamFleet(config.momCompiles());
        reconciler = new Reconciler(config.lbId(), loadBalancers, new RevisionCounter(revisions),
                Clock.systemUTC());
        // one thread: the debounce timer fires on it, so applies never overlap
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("lb-apply"));
        debouncer = new Debouncer(TaskScheduler.of(executor), config.debounce(), config.maxWait(), this::apply);
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }

    /** One record of momentum.master-status; {@code status} is null for a tombstone. */
    public void onStatus(String key, MasterStatus status) {
        boolean changed;
        synchronized (this) {
            changed = fleet.update(key, status);
        }
        if (changed && caughtUp) {
            debouncer.trigger();
        }
    }

    /** The replay reached the end of the topic: apply what it built, even if identical (then nothing is written). */
    public void onCaughtUp() {
        synchronized (this) {
            if (caughtUp) {
                return;
            }
            caughtUp = true;
            LOG.infof("replayed momentum.master-status: %d masters known", fleet.size());
        }
        debouncer.trigger();
    }

    public Snapshot snapshot() {
        BackendSet desired;
        synchronized (this) {
            desired = fleet.desired();
        }
        return new Snapshot(caughtUp, desired, reconciler.views());
    }

    private void apply() {
        BackendSet desired;
        synchronized (this) {
            desired = fleet.desired();
        }
        try {
            List<LbConfigApplied> events = reconciler.reconcile(desired);
            for (LbConfigApplied event : events) {
                registry.counter("momentum.lb.apply", "backend", event.backend(), "result", event.result().name())
                        .increment();
                publisher.publish(event);
            }
        } catch (RuntimeException e) {
            LOG.error("applying the backend set failed unexpectedly", e);
        }
    }
}
