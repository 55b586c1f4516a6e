package io.momentum.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.health.domain.ProbeOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed TLS context reaches the probes without a restart; an unchanged one builds no new client. */
class CurrentTlsProbeTest {

    /** Generous: a loaded build machine must not turn a TLS handshake into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void probesWithTheContextThatIsCurrentAndBuildsAClientOnlyWhenItChanges() throws Exception {
        TestPki oldCa = new TestPki("Puppet CA: old");
        TestPki newCa = new TestPki("Puppet CA: new");
        SSLContext trustingOld = PemContexts.trusting(
                TestPki.writeCertificate(dir.resolve("old-ca.pem"), oldCa.ca().certificate()));
        SSLContext trustingNew = PemContexts.trusting(
                TestPki.writeCertificate(dir.resolve("new-ca.pem"), newCa.ca().certificate()));
        AtomicReference<SSLContext> current = new AtomicReference<>(trustingOld);
        AtomicInteger clients = new AtomicInteger();

        try (FakePuppetServer server = FakePuppetServer.https(newCa.serverContext(newCa.issue("cm1")), false)) {
            CurrentTlsProbe probe = new CurrentTlsProbe(current::get, context -> {
                clients.incrementAndGet();
                return new PuppetStatusClient(PuppetStatusClient.httpClient(context, TIMEOUT), TIMEOUT, true,
                        Clock.systemUTC());
            });

            ProbeOutcome before = probe.probe(server.url()).get(10, TimeUnit.SECONDS);
            assertThat(before.healthy()).isFalse();
            assertThat(before.reason()).startsWith("TLS failure: ");
            probe.probe(server.url()).get(10, TimeUnit.SECONDS);
            assertThat(clients).as("one client while the context stays the same").hasValue(1);

            current.set(trustingNew);
            ProbeOutcome after = probe.probe(server.url()).get(10, TimeUnit.SECONDS);
            assertThat(after.healthy()).as(after.reason()).isTrue();
            assertThat(clients).hasValue(2);
        }
    }
}
