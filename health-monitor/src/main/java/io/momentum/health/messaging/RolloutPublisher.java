package io.momentum.health.messaging;

import io.momentum.shared.event.Activation;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The {@code rollouts} channel: an activation keyed {@code env:<environment>}, acknowledged by every in-sync replica
 * (see {@code mp.messaging.outgoing.rollouts.*}).
 */
@ApplicationScoped
public class RolloutPublisher implements RolloutSink {

    @Inject
    @Channel("rollouts")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    Emitter<Record<String, Activation>> emitter;

    @Override
    public CompletionStage<Void> write(Activation activation) {
        return emitter.send(Record.of(activation.key(), activation));
    }
}
