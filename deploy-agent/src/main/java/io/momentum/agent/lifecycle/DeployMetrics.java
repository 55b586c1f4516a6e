package io.momentum.agent.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.momentum.agent.schedule.ResultSink;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Counts results by status ({@code momentum_agent_deploys_total{status}}) and times the deploys that ran
 * ({@code momentum_agent_deploy_seconds{status}}) on their way to Kafka, for Prometheus at {@code /q/metrics}.
 */
final class DeployMetrics implements ResultSink {

    private final ResultSink delegate;
    private final MeterRegistry registry;

    DeployMetrics(ResultSink delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public CompletionStage<Void> publish(DeployResult result) {
        String status = result.status().name();
        registry.counter("momentum.agent.deploys", "status", status).increment();
        if (result.startedAt() != null && result.status() != DeployStatus.SUPERSEDED) {
            Timer.builder("momentum.agent.deploy").tag("status", status).register(registry)
                    .record(Duration.ofMillis(result.durationMs()));
        }
        return delegate.publish(result);
    }
}
