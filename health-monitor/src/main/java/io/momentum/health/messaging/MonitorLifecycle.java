package io.momentum.health.messaging;

import io.momentum.health.config.HealthConfig;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.probe.ProbeLoop;
import io.momentum.health.probe.StatusProbe;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the monitor: replays the fleet topics, probes every master once per {@code momentum.health.interval}, and
 * publishes statuses and rollout activations once the replay caught up (service-support's replay readiness reports
 * the same).
 */
@ApplicationScoped
public class MonitorLifecycle {

    @Inject
    MonitoredFleet fleet;

    @Inject
    StatusProbe statusProbe;

    @Inject
    StatusPublisher publisher;

    @Inject
    RolloutPublisher rollouts;

    @Inject
    Clock clock;

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    @Inject
    KafkaClientSettings kafka;

    @Inject
    HealthConfig config;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    private volatile CompactedTopicReader feed;
    private volatile FeedWatch watch;
    private PublishLoop publishing;
    private ProbeLoop probes;

    @PostConstruct
    void create() {
        publishing = new PublishLoop(fleet, publisher, rollouts, this::replayed);
        probes = new ProbeLoop(fleet, statusProbe, publishing::nudge, clock);
    }

    void onStart(@Observes StartupEvent event) {
        watch = new FeedWatch(fleet, kafka.admin(), application + "-feed-watch", config.feed().timeout());
        feed = readers.open("fleet", FleetFeed.TOPICS, new FleetFeed(fleet, decoder), publishing::nudge);
    }

    /** Whether heartbeats can reach this monitor now; while they cannot, silence does not count against agents. */
    @Scheduled(identity = "feed-watch", every = "${momentum.health.feed.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void feedWatch() {
        FeedWatch current = watch;
        if (current != null) {
            current.check();
        }
    }

    @Scheduled(identity = "probe-round", every = "${momentum.health.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probeRound() {
        probes.round();
    }

    /**
     * Catches what no probe or record announces: silent agents, expired hold-downs, periodic re-publication, and the
     * end of a stage timeout or soak time.
     */
    @Scheduled(identity = "publish-tick", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishTick() {
        publishing.nudge();
    }

    /** Whether the fleet topics have been replayed up to where they stood at start-up. */
    private boolean replayed() {
        CompactedTopicReader current = feed;
        return current != null && current.caughtUp();
    }

    void onStop(@Observes ShutdownEvent event) {
        publishing.close();
        FeedWatch current = watch;
        if (current != null) {
            current.close();
        }
    }
}
