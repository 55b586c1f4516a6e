package io.momentum.webhook.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the topics have been read to where they stood at start-up: before that, the status API would
 * show a partial picture and a redelivery from before a restart would not yet be recognised.
 */
@Readiness
@ApplicationScoped
public class DeployStateReadiness implements HealthCheck {

    @Inject
    StateReplayer replayer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("deploy-state").status(replayer.caughtUp()).build();
    }
}
