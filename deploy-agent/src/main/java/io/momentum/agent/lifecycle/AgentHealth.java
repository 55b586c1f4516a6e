package io.momentum.agent.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the agent follows the plans topic: an agent that stopped following must be restarted, not left idle. */
@Liveness
@ApplicationScoped
public class AgentHealth implements HealthCheck {

    @Inject
    AgentLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("deploy-agent")
                .status(lifecycle.consuming())
                .withData("state", lifecycle.state().name())
                .build();
    }
}
