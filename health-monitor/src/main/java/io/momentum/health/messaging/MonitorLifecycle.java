package io.momentum.health.messaging;

import io.momentum.health.domain.Fleet;
import io.momentum.health.probe.ProbeLoop;
import io.momentum.health.probe.StatusProbe;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Starts the monitor: replay the fleet topics, probe every master, publish statuses once the replay caught up
 * (service-support's replay readiness reports the same).
 */
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
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    private volatile CompactedTopicReader feed;
    private volatile PublishLoop publishing;
    private ProbeLoop probes;

    void onStart(@Observes StartupEvent event) {
        publishing = new PublishLoop(fleet, publisher, this::replayed).start();
        feed = readers.open("fleet", FleetFeed.TOPICS, new FleetFeed(fleet, decoder), this::nudge);
        probes = new ProbeLoop(fleet, statusProbe, fleet.settings().interval(), this::nudge, clock).start();
    }

    private void nudge() {
        PublishLoop current = publishing;
        if (current != null) {
            current.nudge();
        }
    }

    /** Whether the fleet topics have been replayed up to where they stood at start-up. */
    private boolean replayed() {
        CompactedTopicReader current = feed;
        return current != null && current.caughtUp();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (probes != null) {
            probes.close();
        }
        if (publishing != null) {
            publishing.close();
        }
    }
}
