package io.momentum.lb.messaging;

import io.momentum.lb.service.AttemptPublisher;
import io.momentum.shared.event.LbConfigApplied;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Publishes every apply attempt to momentum.lb-changes, keyed by lbId (the audit trail). */
@ApplicationScoped
public class LbChangesPublisher implements AttemptPublisher {

    private static final Logger LOG = Logger.getLogger(LbChangesPublisher.class);

    @Inject
    @Channel("lb-changes")
    Emitter<LbConfigApplied> emitter;

    @Override
    public void publish(LbConfigApplied event) {
        Message<LbConfigApplied> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.lbId()).build())
                .withNack(failure -> {
                    LOG.warnf("could not publish LbConfigApplied revision %d (%s): %s", event.revision(),
                            event.backend(), failure.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            LOG.warnf("could not queue LbConfigApplied revision %d (%s): %s", event.revision(), event.backend(),
                    e.getMessage());
        }
    }
}
