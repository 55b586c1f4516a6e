package io.momentum.lb.rest;

import io.momentum.lb.testing.NginxTestResource;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.ReadOnlyApiHostileTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** Hostile HTTP against lb-config-service's API (read-only: no HTTP call can publish anything). */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(NginxTestResource.class)
class LbHostileInputTest extends ReadOnlyApiHostileTest {

    @Override
    protected List<String> collections() {
        return List.of("/api/v1/backends");
    }

    @Override
    protected List<String> itemCollections() {
        return List.of();
    }

    @Override
    protected String readerToken() {
        return "reader-test-token";
    }
}
