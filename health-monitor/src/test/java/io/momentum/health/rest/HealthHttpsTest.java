package io.momentum.health.rest;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.HttpsServiceTest;
import io.momentum.testing.HttpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** health-monitor over HTTPS only, with a real certificate; its API still wants a reader token. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(value = HttpsTestResource.class, restrictToAnnotatedClass = true)
class HealthHttpsTest extends HttpsServiceTest {

    @Override
    protected String readPath() {
        return "/api/v1/masters";
    }

    @Override
    protected String readerToken() {
        return "reader-test-token";
    }
}
