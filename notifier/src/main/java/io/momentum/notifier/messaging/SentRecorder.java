package io.momentum.notifier.messaging;

import io.momentum.shared.event.NotificationSent;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * The {@code notifications} channel: what was sent to which sink, keyed {@code <sink>/<notificationId>}, stored by
 * every in-sync replica (see {@code mp.messaging.outgoing.notifications.*}).
 */
@ApplicationScoped
public class SentRecorder {

    private static final Logger LOG = Logger.getLogger(SentRecorder.class);

    @Inject
    @Channel("notifications")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<Record<String, NotificationSent>> emitter;

    public void record(NotificationSent sent) {
        try {
            emitter.send(Record.of(sent.key(), sent)).whenComplete((ok, failure) -> {
                if (failure != null) {
                    // Not fatal: after a restart within the replay window this one may be sent again.
                    LOG.warnf("could not record %s: %s", sent.key(), failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("could not record %s: %s", sent.key(), e.getMessage());
        }
    }
}
