package io.momentum.health.messaging;

import io.momentum.shared.event.Activation;
import java.util.concurrent.CompletionStage;

/** Writes one activation to {@code momentum.rollouts}; the stage completes once the broker has it. */
@FunctionalInterface
public interface RolloutSink {

    CompletionStage<?> write(Activation activation);
}
