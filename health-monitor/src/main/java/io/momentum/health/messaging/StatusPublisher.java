package io.momentum.health.messaging;

import io.momentum.health.domain.Fleet;
import io.momentum.health.domain.Publication;
import io.momentum.shared.event.MasterStatus;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Writes what the {@link Fleet} says is due to {@code momentum.master-status}, keyed by master id: at once after a
 * probe or a consumed record changed something ({@link #nudge()}), and on a one-second tick that catches silent
 * agents, expired hold-downs and the periodic re-publication. A write the broker refuses is offered again.
 */
@ApplicationScoped
public class StatusPublisher {

    private static final Logger LOG = Logger.getLogger(StatusPublisher.class);
    private static final long TICK_MS = 1000;

    @Inject
    @Channel("master-status")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<Record<String, MasterStatus>> emitter;

    @Inject
    Fleet fleet;

    private final AtomicBoolean pending = new AtomicBoolean();
    private final Map<String, MasterStatus> lastLogged = new HashMap<>();
    private ScheduledExecutorService executor;
    private BooleanSupplier ready = () -> false;

    /** Starts publishing once {@code ready} says the fleet state is complete. */
    public synchronized void start(BooleanSupplier readyToPublish) {
        this.ready = readyToPublish;
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "health-status-publisher");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::publishDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Something changed: publish what is due now rather than at the next tick. Bursts coalesce. */
    public void nudge() {
        ScheduledExecutorService current = executor;
        if (current != null && pending.compareAndSet(false, true)) {
            current.execute(() -> {
                pending.set(false);
                publishDue();
            });
        }
    }

    private void publishDue() {
        if (!ready.getAsBoolean()) {
            return;
        }
        try {
            for (Publication publication : fleet.publications()) {
                send(publication);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "publishing master status failed");
        }
    }

    private void send(Publication publication) {
        logTransition(publication);
        emitter.send(Record.of(publication.masterId(), publication.status()))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warnf("could not publish the status of %s, will retry: %s", publication.masterId(),
                                failure.getMessage());
                        fleet.publicationFailed(publication);
                    }
                });
    }

    /** One log line per change an operator cares about: health, routability, draining. */
    private void logTransition(Publication publication) {
        MasterStatus now = publication.status();
        MasterStatus before = publication.tombstone() ? lastLogged.remove(publication.masterId())
                : lastLogged.put(publication.masterId(), now);
        if (now == null) {
            LOG.infof("%s decommissioned: status tombstoned", publication.masterId());
        } else if (before == null || before.health() != now.health() || before.routable() != now.routable()
                || before.draining() != now.draining() || !Objects.equals(before.laggingEnvironments(),
                        now.laggingEnvironments())) {
            LOG.infof("%s %s routable=%s inSync=%s: %s", now.masterId(), now.health(), now.routable(), now.inSync(),
                    now.reason());
        }
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
