package io.momentum.health.probe;

import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.ProbeOutcome;
import io.momentum.health.domain.ProbeTarget;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One probe round over every known master, started once per interval by the scheduler. Probes are asynchronous
 * and independent, each bounded by the probe timeout, so a slow or dead master never delays the others; a master
 * whose previous probe is still running is skipped for that round rather than probed twice at once.
 */
public final class ProbeLoop {

    private static final Logger LOG = Logger.getLogger(ProbeLoop.class);

    private final MonitoredFleet fleet;
    private final StatusProbe probe;
    private final Runnable afterProbe;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param afterProbe runs after every recorded probe, e.g. to publish a changed status at once
     */
    public ProbeLoop(MonitoredFleet fleet, StatusProbe probe, Runnable afterProbe, Clock clock) {
        this.fleet = fleet;
        this.probe = probe;
        this.afterProbe = afterProbe;
        this.clock = clock;
    }

    /** Starts a probe of every known master that has none running; returns without waiting for them. */
    public void round() {
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
}
