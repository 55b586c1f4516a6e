package io.momentum.lb.rest;

import io.momentum.lb.testing.NginxTestResource;
import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.HttpsServiceTest;
import io.momentum.testing.HttpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** lb-config-service over HTTPS only, with a real certificate; its API still wants a reader token. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(NginxTestResource.class)
@QuarkusTestResource(value = HttpsTestResource.class, restrictToAnnotatedClass = true)
class LbHttpsTest extends HttpsServiceTest {

    @Override
    protected String readPath() {
        return "/api/v1/backends";
    }

    @Override
    protected String readerToken() {
        return "reader-test-token";
    }
}
