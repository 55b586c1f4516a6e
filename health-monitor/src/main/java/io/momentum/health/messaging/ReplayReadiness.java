package io.momentum.health.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the fleet state has been rebuilt from the compacted topics (statuses are not published before). */
@Readiness
@ApplicationScoped
public class ReplayReadiness implements HealthCheck {

    @Inject
    MonitorLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fleet-state-replayed").status(lifecycle.replayed()).build();
    }
}
