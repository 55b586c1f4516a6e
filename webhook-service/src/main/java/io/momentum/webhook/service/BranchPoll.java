package io.momentum.webhook.service;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.source.Source;
import io.momentum.webhook.domain.ControlSources;
import io.momentum.webhook.domain.DeployPublisher;
import io.momentum.webhook.domain.DeployState;
import io.momentum.webhook.domain.PollPlanner;
import io.momentum.webhook.provider.RemoteHeads;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One round of the safety net for lost webhooks: lists every source's branch heads and publishes {@code poll}
 * requests for what the requests topic does not have yet. A source that cannot be listed (wrong key, unknown host
 * key, refused token, unreachable host) is logged as an error naming it and publishes nothing; the others go on.
 */
public final class BranchPoll {

    private static final Logger LOG = Logger.getLogger(BranchPoll.class);

    private final ControlSources sources;
    private final RemoteHeads heads;
    private final DeployState state;
    private final DeployPublisher publisher;
    private final Clock clock;

    public BranchPoll(ControlSources sources, RemoteHeads heads, DeployState state, DeployPublisher publisher,
            Clock clock) {
        this.sources = sources;
        this.heads = heads;
        this.state = state;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** @return the requests published, every source together */
    public List<DeployRequest> run() {
        List<DeployRequest> published = new ArrayList<>();
        for (Source source : sources.all()) {
            try {
                List<DeployRequest> requests = PollPlanner.plan(source, heads.list(source.remote()), state::desired,
                        state.desiredEnvironments(), clock.instant());
                if (!requests.isEmpty()) {
                    publisher.publish(requests).toCompletableFuture().join();
                    published.addAll(requests);
                    LOG.infof("poll of source %s published %d request(s) a webhook did not bring: %s",
                            source.name(), requests.size(), requests.stream().map(DeployRequest::key).toList());
                }
            } catch (RuntimeException e) {
                LOG.errorf("poll of source %s failed, nothing published for it: %s", source.name(), e.getMessage());
            }
        }
        return published;
    }
}
