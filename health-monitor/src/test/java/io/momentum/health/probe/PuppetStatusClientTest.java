package io.momentum.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.health.domain.ProbeOutcome;
import io.momentum.health.probe.FakePuppetServer.Mode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes real HTTP and HTTPS servers on loopback that answer like Puppet Server. */
class PuppetStatusClientTest {

    /** Generous: a loaded build machine must not turn a TLS handshake into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    private static TestPki puppetCa;
    private static Path caPem;
    private static FakePuppetServer https;
    private static FakePuppetServer http;

    @BeforeAll
    static void startServers() {
        puppetCa = new TestPki("Puppet CA: test");
        caPem = TestPki.writeCertificate(dir.resolve("ca.pem"), puppetCa.ca().certificate());
        https = FakePuppetServer.https(puppetCa.serverContext(puppetCa.issue("cm1.example.net")), false);
        http = FakePuppetServer.http();
    }

    @AfterAll
    static void stopServers() {
        https.close();
        http.close();
    }

    private static ProbeOutcome probe(SSLContext tls, String url) throws Exception {
        return probe(tls, url, TIMEOUT);
    }

    private static ProbeOutcome probe(SSLContext tls, String url, Duration timeout) throws Exception {
        PuppetStatusClient client = new PuppetStatusClient(PuppetStatusClient.httpClient(tls, timeout), timeout,
                true, Clock.systemUTC());
        return client.probe(url).get(10, TimeUnit.SECONDS);
    }

    private static ProbeOutcome probeWithPuppetCa(String url) throws Exception {
        return probe(PemContexts.trusting(caPem), url);
    }

    @Test
    void runningOverTlsWithThePuppetCaIsHealthy() throws Exception {
        https.mode(Mode.RUNNING);
        ProbeOutcome outcome = probeWithPuppetCa(https.url());

        assertThat(outcome.healthy()).as(outcome.reason()).isTrue();
        assertThat(outcome.latencyMs()).isNotNull();
    }

    @Test
    void errorIsUnhealthyWithTheServicesThatAreNotRunning() throws Exception {
        https.mode(Mode.ERROR);
        ProbeOutcome outcome = probeWithPuppetCa(https.url());

        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.reason()).isEqualTo("HTTP 503: error (not running: master=error)");
        https.mode(Mode.RUNNING);
    }

    @Test
    void startingIsUnhealthy() throws Exception {
        http.mode(Mode.STARTING);
        ProbeOutcome outcome = probeWithPuppetCa(http.url());

        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.reason()).startsWith("HTTP 503: starting");
        http.mode(Mode.RUNNING);
    }

    @Test
    void plainHttpIsAllowed() throws Exception {
        http.mode(Mode.RUNNING);
        assertThat(probeWithPuppetCa(http.url()).healthy()).isTrue();
    }

    @Test
    void aServerSlowerThanTheTimeoutIsUnhealthy() throws Exception {
        try (FakePuppetServer slow = FakePuppetServer.http().mode(Mode.HANGING)) {
            ProbeOutcome outcome = probe(PemContexts.trusting(caPem), slow.url(), Duration.ofMillis(500));

            assertThat(outcome.healthy()).isFalse();
            assertThat(outcome.reason()).isEqualTo("no answer within 500 ms");
        }
    }

    @Test
    void aRefusedConnectionIsUnhealthy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProbeOutcome outcome = probeWithPuppetCa("https://localhost:" + closedPort);

        assertThat(outcome.healthy()).isFalse();
        assertThat(outcome.reason()).startsWith("connection refused");
    }

    @Test
    void aCertificateFromAnotherCaIsUnhealthy() throws Exception {
        TestPki rogue = new TestPki("Rogue CA");
        try (FakePuppetServer impostor = FakePuppetServer.https(rogue.serverContext(rogue.issue("cm1")), false)) {
            ProbeOutcome outcome = probeWithPuppetCa(impostor.url());

            assertThat(outcome.healthy()).isFalse();
            assertThat(outcome.reason()).startsWith("TLS failure: ")
                    .contains("unable to find valid certification path");
        }
    }

    @Test
    void presentsAClientCertificateWithAPkcs1OrPkcs8KeyAsPuppetWritesThem() throws Exception {
        TestPki.Issued agent = puppetCa.issue("monitor.example.net");
        Path cert = TestPki.writeCertificate(dir.resolve("monitor.pem"), agent.certificate());
        Path pkcs1 = TestPki.writePkcs1Key(dir.resolve("monitor-pkcs1.pem"), agent.keys());
        Path pkcs8 = TestPki.writePkcs8Key(dir.resolve("monitor-pkcs8.pem"), agent.keys());
        try (FakePuppetServer mutualTls = FakePuppetServer.https(
                puppetCa.serverContext(puppetCa.issue("cm2.example.net")), true)) {

            ProbeOutcome withPkcs1 = probe(PemContexts.withClientCertificate(caPem, cert, pkcs1), mutualTls.url());
            assertThat(withPkcs1.healthy()).as(withPkcs1.reason()).isTrue();
            ProbeOutcome withPkcs8 = probe(PemContexts.withClientCertificate(caPem, cert, pkcs8), mutualTls.url());
            assertThat(withPkcs8.healthy()).as(withPkcs8.reason()).isTrue();
            ProbeOutcome anonymous = probe(PemContexts.trusting(caPem), mutualTls.url());
            assertThat(anonymous.healthy()).isFalse();
        }
    }

    @Test
    void aCertificateWithoutItsKeyIsAConfigurationError() {
        assertThatThrownBy(() -> PemContexts.withClientCertificate(caPem, caPem, null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsTheStatesOfAServicesDocument() {
        assertThat(PuppetStatusClient.notRunning("{\"master\":{\"state\":\"error\"},\"ca\":{\"state\":\"running\"},"
                + "\"jruby-metrics\":{\"state\":\"starting\"}}")).containsExactly("jruby-metrics=starting",
                "master=error");
        assertThat(PuppetStatusClient.notRunning("not json")).isEmpty();
    }
}
