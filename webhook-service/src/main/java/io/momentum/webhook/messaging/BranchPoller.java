package io.momentum.webhook.messaging;

import io.momentum.webhook.config.WebhookConfig;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.service.BranchPoll;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Optional ({@code momentum.webhook.poll.enabled}): runs {@link BranchPoll} over every source's remote every
 * {@code momentum.webhook.poll.interval}. Waits until the topics have been read, so that a restart does not
 * redeploy everything.
 */
@ApplicationScoped
public class BranchPoller {

    private static final Logger LOG = Logger.getLogger(BranchPoller.class);

    @Inject
    WebhookConfig config;

    @Inject
    ControlSources sources;

    @Inject
    BranchPoll poll;

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
        if (config.poll().enabled()) {
            LOG.infof("polling %d source(s) every %s", sources.all().size(), config.poll().interval());
        }
    }

    @Scheduled(identity = "branch-poller", every = "${momentum.webhook.poll.interval:60s}",
            delayed = "${momentum.webhook.poll.interval:60s}", skipExecutionIf = Disabled.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (replayer.caughtUp()) {
            poll.run();
        }
    }
}
