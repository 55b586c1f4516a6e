package io.momentum.agent.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache flush against a {@link PuppetServerStandIn} that requires a client certificate signed by its CA, the
 * client key both as PKCS#8 and in Puppet's PKCS#1 form. The agent's own TLS configuration
 * ({@code quarkus.tls.puppet-admin.*}) is proven in {@link PuppetAdminTlsTest}.
 */
class EnvironmentCacheFlushTest {

    @TempDir
    static Path pki;

    private static PuppetServerStandIn server;

    @BeforeAll
    static void startPuppetServerStandIn() throws Exception {
        Assumptions.assumeTrue(PuppetServerStandIn.opensslInstalled(), "openssl is not installed");
        server = new PuppetServerStandIn(pki);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static EnvironmentCacheFlush flush(Optional<Path> cert, Optional<Path> key) throws Exception {
        SSLContext context = server.context(cert, key);
        return new EnvironmentCacheFlush(server.url(), () -> context, Duration.ofSeconds(10));
    }

    @Test
    void deletesTheEnvironmentFromPuppetServersCacheWithAClientCertificate() throws Exception {
        server.status.set(204);
        flush(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client-pkcs1.key")))
                .run("production", false);
        flush(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client.key")))
                .run("feature_x", true);

        assertThat(server.requests).contains("DELETE /puppet-admin-api/v1/environment-cache?environment=production",
                "DELETE /puppet-admin-api/v1/environment-cache?environment=feature_x");
    }

    @Test
    void aRefusalIsAFailureThatNamesTheStatus() throws Exception {
        server.status.set(403);
        try {
            assertThatThrownBy(() -> flush(Optional.of(pki.resolve("client.pem")),
                    Optional.of(pki.resolve("client.key"))).run("production", false))
                    .isInstanceOf(PostDeployException.class).hasMessageContaining("HTTP 403");
        } finally {
            server.status.set(204);
        }
    }

    @Test
    void aRenewedContextIsUsedFromTheNextFlushOn() throws Exception {
        server.status.set(204);
        AtomicReference<SSLContext> current = new AtomicReference<>(server.context(Optional.empty(), Optional.empty()));
        EnvironmentCacheFlush flush = new EnvironmentCacheFlush(server.url(), current::get, Duration.ofSeconds(10));
        assertThatThrownBy(() -> flush.run("production", false)).hasMessageContaining("cannot reach");

        current.set(server.context(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client-pkcs1.key"))));
        flush.run("renewed", false);

        assertThat(server.requests).contains("DELETE /puppet-admin-api/v1/environment-cache?environment=renewed");
    }

    @Test
    void withoutAClientCertificateTheServerRefusesTheHandshake() throws Exception {
        assertThatThrownBy(() -> flush(Optional.empty(), Optional.empty()).run("production", false))
                .isInstanceOf(PostDeployException.class).hasMessageContaining("cannot reach");
    }
}
