package io.momentum.agent.plan;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the planner's request consumer runs (or the planner is off). */
@Liveness
@ApplicationScoped
public class PlannerHealth implements HealthCheck {

    @Inject
    Planner planner;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("planner").status(planner.consuming()).build();
    }
}
