package io.momentum.health.messaging;

import io.momentum.health.domain.Fleet;
import io.momentum.health.probe.ProbeLoop;
import io.momentum.health.probe.StatusProbe;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;

/** Starts the monitor: replay the fleet topics, probe every master, publish statuses once the replay is done. */
@ApplicationScoped
public class MonitorLifecycle {

    @Inject
    Fleet fleet;

    @Inject
    StatusProbe statusProbe;

    @Inject
    StatusPublisher publisher;

    @Inject
    Clock clock;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private FleetFeed feed;
    private ProbeLoop probes;

    void onStart(@Observes StartupEvent event) {
        feed = new FleetFeed(kafkaConfig, fleet, publisher::nudge).start();
        publisher.start(feed::caughtUp);
        probes = new ProbeLoop(fleet, statusProbe, fleet.settings().interval(), publisher::nudge, clock).start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (probes != null) {
            probes.close();
        }
        publisher.stop();
        if (feed != null) {
            feed.close();
        }
    }

    /** Whether the fleet topics have been replayed up to where they were at start-up. */
    public boolean replayed() {
        return feed != null && feed.caughtUp();
    }
}
