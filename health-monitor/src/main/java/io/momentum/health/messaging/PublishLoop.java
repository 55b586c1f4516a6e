package io.momentum.health.messaging;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.Publication;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.shared.event.Activation;
import io.momentum.shared.event.MasterStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Writes what the {@link MonitoredFleet} says is due, master statuses and rollout activations, on its own thread, whenever {@link #nudge()}d: at once after a
 * probe or a consumed record changed something, and on the scheduler's tick that catches silent agents, expired
 * hold-downs and the periodic re-publication. Nothing is written before {@code ready} says the fleet state is
 * complete. A write the broker refuses is offered again.
 */
public final class PublishLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PublishLoop.class);

    private final MonitoredFleet fleet;
    private final StatusSink sink;
    private final RolloutSink rollouts;
    private final BooleanSupplier ready;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Map<String, MasterStatus> lastLogged = new HashMap<>();
    /** One thread, so that publications leave in the order they were decided and the log state needs no lock. */
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(DaemonThreads.factory("health-status-publisher"));

    public PublishLoop(MonitoredFleet fleet, StatusSink sink, RolloutSink rollouts, BooleanSupplier ready) {
        this.fleet = fleet;
        this.sink = sink;
        this.rollouts = rollouts;
        this.ready = ready;
    }

    /** Something changed: publish what is due now rather than at the next tick. Bursts coalesce. */
    public void nudge() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    pending.set(false);
                    publishDue();
                });
            } catch (RejectedExecutionException e) {
                pending.set(false);
            }
        }
    }

    private void publishDue() {
        if (!ready.getAsBoolean()) {
            return;
        }
        try {
            for (Publication publication : fleet.publications()) {
                logTransition(publication);
                sink.write(publication).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warnf("could not publish the status of %s, will retry: %s", publication.masterId(),
                                failure.getMessage());
                        fleet.publicationFailed(publication);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "publishing master status failed");
        }
        try {
            for (Activation activation : fleet.activationsDue()) {
                LOG.infof("rollout of %s at plan %s: %s %s: %s", activation.environment(),
                        activation.digest().substring(0, 12), activation.phase(),
                        activation.phase() == Activation.Phase.ALL ? "every master" : activation.masters(),
                        activation.reason());
                rollouts.write(activation).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warnf("could not publish the %s activation of %s, will retry: %s", activation.phase(),
                                activation.environment(), failure.getMessage());
                        fleet.activationFailed(activation);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "publishing rollout activations failed");
        }
    }

    /** One log line per change an operator cares about: health, routability, draining, lagging environments. */
    private void logTransition(Publication publication) {
        MasterStatus now = publication.status();
        MasterStatus before = publication.tombstone() ? lastLogged.remove(publication.masterId())
                : lastLogged.put(publication.masterId(), now);
        if (now == null) {
            LOG.infof("%s decommissioned: status tombstoned", publication.masterId());
        } else if (before == null || before.health() != now.health() || before.routable() != now.routable()
                || before.draining() != now.draining()
                || !Objects.equals(before.laggingEnvironments(), now.laggingEnvironments())) {
            LOG.infof("%s %s routable=%s inSync=%s: %s", now.masterId(), now.health(), now.routable(), now.inSync(),
                    now.reason());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
