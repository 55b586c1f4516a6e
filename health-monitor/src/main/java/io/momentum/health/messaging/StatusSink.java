package io.momentum.health.messaging;

import io.momentum.health.domain.Publication;
import java.util.concurrent.CompletionStage;

/** Writes one publication to {@code momentum.master-status}; the stage completes once the broker has it. */
@FunctionalInterface
public interface StatusSink {

    CompletionStage<?> write(Publication publication);
}
