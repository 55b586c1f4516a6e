package io.momentum.webhook.domain;

import io.momentum.shared.event.DeployRequest;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Stores deploy requests durably. */
public interface DeployPublisher {

    /**
     * Publishes every request under its {@link DeployRequest#key()}.
     *
     * @return completes once the broker acknowledged all of them, exceptionally when any could not be stored
     *     within the configured time
     */
    CompletionStage<Void> publish(List<DeployRequest> requests);
}
