package io.momentum.health.rest;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.ReadOnlyApiHostileTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** Hostile HTTP against health-monitor's API (read-only: no HTTP call can publish anything). */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class HealthHostileInputTest extends ReadOnlyApiHostileTest {

    @Override
    protected List<String> collections() {
        return List.of("/api/v1/masters", "/api/v1/rollouts");
    }

    @Override
    protected List<String> itemCollections() {
        return List.of("/api/v1/masters", "/api/v1/rollouts");
    }

    @Override
    protected String readerToken() {
        return "reader-test-token";
    }
}
