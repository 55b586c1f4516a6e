package io.momentum.health.probe;

import io.momentum.health.domain.Fleet;
import io.momentum.health.domain.ProbeOutcome;
import io.momentum.health.domain.ProbeTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Probes every known master once per interval. Probes are asynchronous and independent, so a slow or dead master
 * never delays the others; a master whose previous probe is still running is skipped for that round rather than
 * probed twice at once.
 */
public final class ProbeLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProbeLoop.class);

    private final Fleet fleet;
    private final StatusProbe probe;
    private final Duration interval;
    private final Runnable afterProbe;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "health-probe-ticker");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param afterProbe runs after every recorded probe, e.g. to publish a changed status at once
     */
    public ProbeLoop(Fleet fleet, StatusProbe probe, Duration interval, Runnable afterProbe, Clock clock) {
        this.fleet = fleet;
        this.probe = probe;
        this.interval = interval;
        this.afterProbe = afterProbe;
        this.clock = clock;
    }

    public ProbeLoop start() {
        ticker.scheduleAtFixedRate(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void round() {
        try {
            for (ProbeTarget target : fleet.probeTargets()) {
                if (inFlight.add(target.masterId())) {
                    probe(target);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe round failed");
        }
    }

    private void probe(ProbeTarget target) {
        try {
            probe.probe(target.url()).whenComplete((outcome, failure) -> {
                inFlight.remove(target.masterId());
                ProbeOutcome recorded = outcome != null ? outcome
                        : ProbeOutcome.unhealthy("probe error: " + failure, null, clock.instant());
                fleet.onProbe(target.masterId(), recorded);
                afterProbe.run();
            });
        } catch (RuntimeException e) {
            inFlight.remove(target.masterId());
            LOG.errorf(e, "cannot probe %s at %s", target.masterId(), target.url());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
