package io.momentum.agent.schedule;

import io.momentum.shared.event.DeployResult;
import java.util.concurrent.CompletionStage;

/** Where results go; the stage completes once the result is stored (for Kafka: acknowledged by the brokers). */
@FunctionalInterface
public interface ResultSink {

    CompletionStage<Void> publish(DeployResult result);
}
