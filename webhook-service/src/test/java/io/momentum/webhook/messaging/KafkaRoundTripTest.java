package io.momentum.webhook.messaging;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.ServiceSmokeTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service starts against a real broker, provisions the SPEC topics, and records really travel through it. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class KafkaRoundTripTest extends ServiceSmokeTest {
}
