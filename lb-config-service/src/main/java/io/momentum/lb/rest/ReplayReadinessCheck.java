package io.momentum.lb.rest;

import io.momentum.lb.LbService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until momentum.master-status has been replayed: before that the service has applied nothing. */
@Readiness
@ApplicationScoped
public class ReplayReadinessCheck implements HealthCheck {

    @Inject
    LbService service;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("master-status replay").status(service.caughtUp()).build();
    }
}
