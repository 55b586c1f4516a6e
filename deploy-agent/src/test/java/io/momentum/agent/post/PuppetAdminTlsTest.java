package io.momentum.agent.post;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The post-deploy cache flush as configured: {@code quarkus.tls.puppet-admin.*} with Puppet's PKCS#1 host key,
 * through the Quarkus TLS registry, against a server that requires the client certificate.
 */
@QuarkusTest
@TestProfile(PuppetAdminTlsProfile.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class PuppetAdminTlsTest {

    @Inject
    PostDeploySteps steps;

    @Test
    void flushesWithTheConfiguredClientCertificateAndItsPkcs1Key() {
        assertThat(steps.names()).containsExactly("flush-environment-cache");

        // The handshake with the client certificate succeeded and the stand-in answered 204.
        assertThat(steps.run("production", false)).singleElement().satisfies(outcome -> {
            assertThat(outcome.ok()).as(outcome.detail()).isTrue();
            assertThat(outcome.detail()).startsWith("HTTP 204 from https://127.0.0.1:");
        });
    }
}
