package io.momentum.lb.domain;

import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies a desired backend set to every configured load balancer and records one LbConfigApplied per
 * load balancer and attempt. A set that cannot serve is refused before any backend is touched.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final String lbId;
    private final List<LoadBalancer> loadBalancers;
    private final RevisionCounter revisions;
    private final Clock clock;
    private final Map<String, BackendView> views = new LinkedHashMap<>();

    public Reconciler(String lbId, List<LoadBalancer> loadBalancers, RevisionCounter revisions, Clock clock) {
        this.lbId = lbId;
        this.loadBalancers = List.copyOf(loadBalancers);
        this.revisions = revisions;
        this.clock = clock;
    }

    /**
     * What one backend has live.
     *
     * @param live the set behind the live configuration, empty until this process applied or confirmed one
     * @param last the latest attempt
     */
    public record BackendView(Optional<BackendSet> live, LbConfigApplied last) {
    }

    public synchronized List<LbConfigApplied> reconcile(BackendSet desired) {
        long revision = revisions.next();
        List<LbConfigApplied> events = new ArrayList<>();
        for (LoadBalancer backend : loadBalancers) {
            Optional<BackendSet> live = Optional.ofNullable(views.get(backend.name())).flatMap(BackendView::live);
            ApplyOutcome outcome = desired.canServe() ? applySafely(backend, desired) : refuse(backend, desired, live);
            boolean nowLive = outcome.result() == LbResult.APPLIED || outcome.result() == LbResult.UNCHANGED;
            Optional<BackendSet> after = nowLive ? Optional.of(desired) : live;
            LbConfigApplied event = new LbConfigApplied(lbId, backend.name(), revision,
                    after.map(BackendSet::routed).orElse(List.of()), outcome.result(), outcome.error(),
                    outcome.configSha256(), clock.instant());
            views.put(backend.name(), new BackendView(after, event));
            log(event);
            events.add(event);
        }
        return events;
    }

    public synchronized Map<String, BackendView> views() {
        return Map.copyOf(views);
    }

    private static ApplyOutcome applySafely(LoadBalancer backend, BackendSet desired) {
        try {
            return backend.apply(desired);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: unexpected failure while applying", backend.name());
            return ApplyOutcome.failed("unexpected failure: " + e, backend.liveSha256());
        }
    }

    private static ApplyOutcome refuse(LoadBalancer backend, BackendSet desired, Optional<BackendSet> live) {
        String kept = live.map(set -> "keeping the last good backend set " + describe(set))
                .orElse("keeping the configuration on disk");
        String reason = "refusing a backend set without a routable master (" + desired.servers().size()
                + " known, 0 active); " + kept;
        return new ApplyOutcome(LbResult.REJECTED, reason, backend.liveSha256(), false);
    }

    private static String describe(BackendSet set) {
        return set.servers().stream().map(s -> s.masterId() + "=" + s.state()).toList().toString();
    }

    private static void log(LbConfigApplied event) {
        switch (event.result()) {
            case APPLIED -> LOG.infof("%s revision %d applied: %s", event.backend(), event.revision(),
                    event.backends());
            case UNCHANGED -> LOG.debugf("%s revision %d unchanged", event.backend(), event.revision());
            case REJECTED, FAILED -> LOG.warnf("%s revision %d %s: %s", event.backend(), event.revision(),
                    event.result(), event.error());
        }
    }
}
