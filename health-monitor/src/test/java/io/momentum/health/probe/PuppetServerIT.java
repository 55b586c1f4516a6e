package io.momentum.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.momentum.health.domain.FlapDamping;
import io.momentum.health.domain.HealthSettings;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.ProbeOutcome;
import io.momentum.health.domain.RolloutSettings;
import io.momentum.health.domain.ServeStalePolicy;
import io.momentum.health.domain.StaticMaster;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterStatus;
import io.momentum.testing.PuppetServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes a real Puppet Server 7.9.5 (the Debian package), started once for this class. Skipped when the package
 * is not installed. The last test stops the server and watches the master go DOWN with the default thresholds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PuppetServerIT {

    /** For the one-off probes: a loaded CI machine must not turn a first mutual-TLS handshake into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private static PuppetServer server;

    @BeforeAll
    static void startPuppetServer() throws Exception {
        Assumptions.assumeTrue(PuppetServer.installed(),
                "the puppetserver Debian package is not installed (/usr/share/puppetserver)");
        long started = System.nanoTime();
        server = PuppetServer.start(dir, Duration.ofMinutes(6));
        System.out.printf("[PuppetServerIT] Puppet Server %s running after %d s (pid %d)%n", server.url(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), server.pid());
    }

    @AfterAll
    static void stopPuppetServer() {
        if (server != null) {
            server.close();
        }
    }

    private static ProbeOutcome probe(SSLContext tls) throws Exception {
        return new PuppetStatusClient(PuppetStatusClient.httpClient(tls, TIMEOUT), TIMEOUT, true, Clock.systemUTC())
                .probe(server.url()).get(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void isRunningOverTlsWithThePuppetCaAndNoClientCertificate() throws Exception {
        ProbeOutcome outcome = probe(PemContexts.trusting(server.caCert()));

        assertThat(outcome.healthy()).as(outcome.reason()).isTrue();
    }

    /**
     * Loads the PKCS#1 key exactly as Puppet wrote it the way the TLS registry does ({@code quarkus.tls.puppet.*})
     * and pairs it with the host certificate. (A mutual-TLS probe
     * with this certificate was refused by this freshly set-up server with {@code certificate_unknown}, by curl as
     * much as by Java, so the handshake itself is covered against the loopback server in PuppetStatusClientTest.)
     */
    @Test
    @Order(2)
    void loadsTheHostKeyPuppetWroteAsPkcs1() throws Exception {
        assertThat(Files.readString(server.hostKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        X509KeyManager keys = PemContexts.keyManager(server.hostCert(), server.hostKey());
        String alias = keys.getClientAliases("RSA", null)[0];
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) keys.getPrivateKey(alias);
        RSAPublicKey certified = (RSAPublicKey) keys.getCertificateChain(alias)[0].getPublicKey();

        assertThat(key.getModulus()).isEqualTo(certified.getModulus());
        assertThat(PemContexts.withClientCertificate(server.caCert(), server.hostCert(), server.hostKey()))
                .isNotNull();
    }

    @Test
    @Order(3)
    void reportsEveryCriticalServiceRunning() throws Exception {
        HttpResponse<String> services = PuppetStatusClient.httpClient(
                PemContexts.trusting(server.caCert()), TIMEOUT).send(
                HttpRequest.newBuilder(URI.create(server.url() + PuppetStatusClient.SERVICES)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(services.statusCode()).isEqualTo(200);
        assertThat(services.body()).contains("\"master\"");
        assertThat(PuppetStatusClient.notRunning(services.body())).isEmpty();
    }

    @Test
    @Order(4)
    void refusesTheServerWithTheWrongCa() throws Exception {
        TestPki other = new TestPki("Some other CA");
        Path otherCa = TestPki.writeCertificate(dir.resolve("other-ca.pem"), other.ca().certificate());

        ProbeOutcome outcome = probe(PemContexts.trusting(otherCa));

        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.reason()).startsWith("TLS failure");
    }

    @Test
    @Order(5)
    void stoppingTheServerTurnsTheMasterDownAfterFallFailedProbes() throws Exception {
        HealthSettings defaults = HealthSettings.defaults().withFlap(FlapDamping.off());
        MonitoredFleet fleet = new MonitoredFleet(defaults, RolloutSettings.defaults(), new ServeStalePolicy(),
                List.of(new StaticMaster("real", server.url(), null, null)), Clock.systemUTC());
        PuppetStatusClient client = new PuppetStatusClient(PuppetStatusClient.httpClient(
                PemContexts.trusting(server.caCert()), defaults.timeout()), defaults.timeout(), true,
                Clock.systemUTC());
        AtomicReference<MasterStatus> firstDown = new AtomicReference<>();
        AtomicLong downAtNanos = new AtomicLong();
        Runnable watch = () -> fleet.status("real").filter(s -> s.health() == Health.DOWN && s.reason()
                .startsWith("DOWN:")).ifPresent(s -> {
                    if (firstDown.compareAndSet(null, s)) {
                        downAtNanos.set(System.nanoTime());
                    }
                });

        ProbeLoop loop = new ProbeLoop(fleet, client, watch, Clock.systemUTC());
        try (ProbeRounds rounds = ProbeRounds.every(defaults.interval(), loop)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.status("real").orElseThrow().routable());

            long stopped = System.nanoTime();
            server.close();
            long exited = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> firstDown.get() != null);

            MasterStatus down = firstDown.get();
            assertThat(down.consecutiveFailures()).isEqualTo(defaults.fall());
            assertThat(down.routable()).isFalse();
            System.out.printf("[PuppetServerIT] SIGTERM -> JVM exited in %d ms; SIGTERM -> DOWN (not routable) in"
                    + " %d ms with interval %s, timeout %s, fall %d; reason: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(exited - stopped),
                    TimeUnit.NANOSECONDS.toMillis(downAtNanos.get() - stopped), defaults.interval(),
                    defaults.timeout(), defaults.fall(), down.reason());
        }
    }
}
