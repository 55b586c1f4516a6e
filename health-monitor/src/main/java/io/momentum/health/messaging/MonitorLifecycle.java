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

    private volatile FleetFeed feed;
    private volatile PublishLoop publishing;
    private ProbeLoop probes;

    void onStart(@Observes StartupEvent event) {
        FleetFeed fleetFeed = new FleetFeed(kafkaConfig, fleet, this::nudge);
        publishing = new PublishLoop(fleet, publisher, fleetFeed::caughtUp).start();
        feed = fleetFeed.start();
        probes = new ProbeLoop(fleet, statusProbe, fleet.settings().interval(), this::nudge, clock).start();
    }

    private void nudge() {
        PublishLoop current = publishing;
        if (current != null) {
            current.nudge();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (probes != null) {
            probes.close();
        }
        if (publishing != null) {
            publishing.close();
        }
        if (feed != null) {
            feed.close();
        }
    }

    /** Whether the fleet topics have been replayed up to where they were at start-up. */
    public boolean replayed() {
        return feed != null && feed.caughtUp();
    }
}
