package io.momentum.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.health.domain.ProbeOutcome;
import io.momentum.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The probe as configured: {@code quarkus.tls.puppet.*} with Puppet's PKCS#1 host key, through the Quarkus TLS
 * registry, against a server that requires the client certificate.
 */
@QuarkusTest
@TestProfile(PuppetTlsProfile.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class PuppetTlsTest {

    @Inject
    StatusProbe statusProbe;

    @ConfigProperty(name = "momentum.health.masters[0].url")
    String serverUrl;

    @Test
    void probesWithTheConfiguredClientCertificateAndItsPkcs1Key() throws Exception {
        ProbeOutcome outcome = statusProbe.probe(serverUrl).get(10, TimeUnit.SECONDS);

        assertThat(outcome.healthy()).as(outcome.reason()).isTrue();
    }
}
