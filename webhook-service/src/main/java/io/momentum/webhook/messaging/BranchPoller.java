package io.momentum.webhook.messaging;

import io.momentum.shared.event.DeployRequest;
import io.momentum.webhook.config.WebhookBeans;
import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.PollPlanner;
import io.momentum.webhook.domain.SourceRule;
import io.momentum.webhook.provider.RemoteHeads;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Optional ({@code momentum.webhook.poll.enabled}): lists every source that has a {@code remote} every
 * {@code momentum.webhook.poll.interval} and publishes {@code poll} requests for heads the requests topic does not
 * have yet. Waits until the topics have been read, so that a restart does not redeploy everything.
 */
@ApplicationScoped
public class BranchPoller {

    private static final Logger LOG = Logger.getLogger(BranchPoller.class);

    @Inject
    WebhookConfig config;

    @Inject
    DeployState state;

    @Inject
    DeployPublisher publisher;

    @Inject
    StateReplayer replayer;

    /** Skips every run unless polling is switched on. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        @Inject
        WebhookConfig config;

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.poll().enabled();
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.poll().enabled()) {
            return;
        }
        if (sources().isEmpty()) {
            LOG.warn("momentum.webhook.poll.enabled is set but no source has a remote to poll");
        } else {
            LOG.infof("polling %d source(s) every %s", sources().size(), config.poll().interval());
        }
    }

    @Scheduled(identity = "branch-poller", every = "${momentum.webhook.poll.interval:60s}",
            delayed = "${momentum.webhook.poll.interval:60s}", skipExecutionIf = Disabled.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        pollAll(sources());
    }

    void pollAll(List<SourceRule> sources) {
        if (!replayer.caughtUp()) {
            return;
        }
        for (SourceRule source : sources) {
            String remote = source.remote().orElseThrow();
            try {
                List<DeployRequest> requests = PollPlanner.plan(source, remote, RemoteHeads.list(remote),
                        state::desired, state.desiredEnvironments(), Instant.now());
                if (!requests.isEmpty()) {
                    publisher.publish(requests).toCompletableFuture().join();
                    LOG.infof("poll of source %s published %d request(s) a webhook did not bring: %s",
                            source.name(), requests.size(), requests.stream().map(DeployRequest::key).toList());
                }
            } catch (RuntimeException e) {
                LOG.warnf("poll of source %s failed: %s", source.name(), e.getMessage());
            }
        }
    }

    private List<SourceRule> sources() {
        return WebhookBeans.sources(config).stream().filter(s -> s.remote().isPresent()).toList();
    }
}
