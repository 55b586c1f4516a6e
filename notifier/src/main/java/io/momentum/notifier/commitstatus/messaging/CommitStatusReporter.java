package io.momentum.notifier.commitstatus.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.notifier.commitstatus.config.CommitStatusConfig;
import io.momentum.notifier.commitstatus.domain.CommitStatusBook;
import io.momentum.notifier.commitstatus.domain.SentLedger;
import io.momentum.notifier.commitstatus.domain.StatusUpdate;
import io.momentum.notifier.commitstatus.host.CommitStatusHost;
import io.momentum.notifier.commitstatus.host.CommitStatusSender;
import io.momentum.notifier.commitstatus.host.CommitStatusSender.Delivery;
import io.momentum.notifier.commitstatus.host.HostTargets;
import io.momentum.notifier.config.NotifierConfig;
import io.momentum.notifier.messaging.SentRecorder;
import io.momentum.service.config.Strategies;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.NotificationSent;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Provider;
import io.momentum.shared.event.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Follows the fleet's topics and posts commit statuses on the git hosts. It replays requests, plans, results,
 * announcements and its own records on {@code momentum.notifications} before posting anything; then it posts what
 * the records do not show as posted (for deploys requested within the notifier's
 * {@code momentum.notifier.replay-window} before the start), and from there on every new status. Each posted or
 * given-up status is recorded on {@code momentum.notifications} through the notifier's {@link SentRecorder}, so a
 * restart posts nothing twice. Calls are retried as {@code momentum.notifier.delivery.*} says for the sinks. Off
 * until a provider is configured.
 */
@ApplicationScoped
public class CommitStatusReporter {

    private static final Logger LOG = Logger.getLogger(CommitStatusReporter.class);

    @Inject
    CommitStatusConfig config;

    @Inject
    @Any
    Instance<CommitStatusHost> hostBeans;

    @Inject
    ReplayReaders readers;

    @Inject
    EventDecoder decoder;

    @Inject
    NotifierConfig notifier;

    @Inject
    SentRecorder recorder;

    @Inject
    MeterRegistry meters;

    @Inject
    Clock clock;

    private final SentLedger ledger = new SentLedger();
    private CommitStatusBook book;
    private HostTargets targets;
    private CommitStatusSender sender;
    private Instant startedAt;
    private volatile boolean caughtUp;

    void onStart(@Observes StartupEvent event) {
        if (config.providers().isEmpty()) {
            LOG.debug("commit statuses off: no momentum.commit-status.providers configured");
            return;
        }
        String targetUrl = config.targetUrl().orElseThrow(() -> new IllegalStateException(
                "momentum.commit-status.target-url is required once a commit-status provider is configured"));
        Map<Provider, CommitStatusHost> hosts = new EnumMap<>(Provider.class);
        config.providers().keySet().forEach(id -> {
            String key = "momentum.commit-status.providers." + id;
            Provider provider = Provider.fromId(id).orElseThrow(() -> new IllegalStateException(
                    key + ": " + id + " is not a provider; known: " + Strategies.names(hostBeans)));
            hosts.put(provider, Strategies.choose(hostBeans, key, id, "commit-status host"));
        });
        targets = new HostTargets(hosts, config, targetUrl);
        book = new CommitStatusBook(config.statusMode());
        NotifierConfig.Delivery delivery = notifier.delivery();
        HttpClient http = HttpClient.newBuilder().connectTimeout(delivery.timeout()).build();
        sender = new CommitStatusSender(http, targets::call, new CommitStatusSender.Retry(delivery.maxAttempts(),
                delivery.initialBackoff(), delivery.maxBackoff()), delivery.timeout(), meters);
        startedAt = clock.instant();
        readers.open("commit-status", List.of(Topics.MASTERS, Topics.DEPLOY_REQUESTS, Topics.DEPLOY_PLANS,
                Topics.DEPLOY_RESULTS, Topics.NOTIFICATIONS), this::apply, () -> { }, this::catchUp);
        LOG.infof("commit statuses on for %s, mode %s", hosts.keySet(), config.statusMode());
    }

    /** On the reader's thread: every record of the followed topics. */
    private void apply(ConsumerRecord<String, byte[]> record) {
        List<StatusUpdate> updates = switch (record.topic()) {
            case Topics.MASTERS -> {
                MasterAnnouncement master = record.value() == null ? null
                        : decoder.decode(record.value(), MasterAnnouncement.class);
                book.master(record.key(), master != null && master.state() == MasterState.READY);
                yield List.of();
            }
            case Topics.DEPLOY_REQUESTS -> {
                DeployRequest request = record.value() == null ? null
                        : decoder.decode(record.value(), DeployRequest.class);
                yield request == null || !targets.handles(request.provider()) ? List.of() : book.request(request);
            }
            case Topics.DEPLOY_PLANS -> {
                DeployPlan plan = record.value() == null ? null : decoder.decode(record.value(), DeployPlan.class);
                yield plan == null || plan.status() != PlanStatus.FAILED ? List.of()
                        : book.planFailed(plan.requestId(), plan.error());
            }
            case Topics.DEPLOY_RESULTS -> record.value() == null ? List.<StatusUpdate>of()
                    : book.result(decoder.decode(record.value(), DeployResult.class));
            case Topics.NOTIFICATIONS -> {
                NotificationSent sent = record.value() == null ? null
                        : decoder.decode(record.value(), NotificationSent.class);
                if (sent != null && SentLedger.SINK.equals(sent.sink())) {
                    ledger.recorded(sent.notificationId());
                }
                yield List.of();
            }
            default -> List.of();
        };
        if (caughtUp) {
            updates.forEach(this::post);
        }
    }

    /** On the reader's thread, once the replay is done: what the records do not show as posted yet. */
    private void catchUp() {
        List<StatusUpdate> missed = book.current(startedAt.minus(notifier.replayWindow())).stream()
                .filter(ledger::needed).toList();
        if (!missed.isEmpty()) {
            LOG.infof("posting %d commit status(es) not recorded as posted before the restart", missed.size());
        }
        missed.forEach(this::post);
        caughtUp = true;
    }

    private void post(StatusUpdate update) {
        if (!ledger.needed(update)) {
            return;
        }
        sender.send(update).thenAccept(delivery -> record(update, delivery));
    }

    private void record(StatusUpdate update, Delivery delivery) {
        ledger.recorded(update);
        recorder.record(new NotificationSent(SentLedger.SINK, SentLedger.notificationId(update), delivery.outcome(),
                delivery.attempts(), delivery.error(), clock.instant()));
    }
}
