package io.momentum.service.replay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until every replay reader has read its topics to where they stood at start-up: before that a service
 * would show, publish or apply a partial picture.
 */
@Readiness
@ApplicationScoped
public class ReplayReadiness implements HealthCheck {

    @Inject
    ReplayReaders readers;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("replay").up();
        for (CompactedTopicReader reader : readers.all()) {
            response.withData(reader.name(), reader.caughtUp() ? "caught up" : "replaying " + reader.topics());
            if (!reader.caughtUp()) {
                response.down();
            }
        }
        return response.build();
    }
}
