package io.momentum.notifier.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.notifier.config.NotifierConfig;
import io.momentum.notifier.config.Sinks;
import io.momentum.notifier.domain.FleetNotifications;
import io.momentum.notifier.domain.Notification;
import io.momentum.notifier.domain.SentLog;
import io.momentum.notifier.sink.Sink;
import io.momentum.notifier.sink.SinkWorker;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.service.tls.TlsContexts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;

/**
 * Runs the notifier: replays the fleet topics and {@code momentum.notifications} from the beginning, and once caught
 * up hands every due notification to each sink whose filter takes it and that has not had it yet, after every batch
 * of records and every second (deploy timeouts). Nothing here waits for a receiver: sinks deliver on their own
 * threads.
 */
@ApplicationScoped
public class NotifierLifecycle {

    @Inject
    NotifierConfig config;

    @Inject
    @Any
    Instance<Sink> sinks;

    @Inject
    TlsContexts tls;

    @Inject
    MeterRegistry meters;

    @Inject
    SentRecorder recorder;

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    @Inject
    Clock clock;

    private FleetNotifications fleet;
    private SentLog sent;
    private List<SinkWorker> workers = List.of();
    private volatile CompactedTopicReader feed;

    void onStart(@Observes StartupEvent event) {
        fleet = new FleetNotifications(config.deployTimeout());
        sent = new SentLog(clock.instant(), config.replayWindow());
        workers = Sinks.start(config, sinks, tls, meters, recorder::record, clock);
        feed = readers.open("notifier", NotifierFeed.TOPICS, new NotifierFeed(fleet, sent, decoder), this::dispatch);
    }

    /** Deploy timeouts pass without any record arriving. */
    @Scheduled(identity = "notifier-tick", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        dispatch();
    }

    /** Hands out what is due; nothing before the replay caught up (what was sent is known only then). */
    synchronized void dispatch() {
        CompactedTopicReader current = feed;
        if (current == null || !current.caughtUp()) {
            return;
        }
        for (Notification notification : fleet.evaluate(clock.instant())) {
            for (SinkWorker worker : workers) {
                if (worker.filter().accepts(notification) && sent.claim(worker.name(), notification)) {
                    worker.offer(notification);
                }
            }
        }
    }

    /** The fleet as the notifier sees it, for tests and diagnostics. */
    public FleetNotifications fleet() {
        return fleet;
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.forEach(SinkWorker::close);
    }
}
