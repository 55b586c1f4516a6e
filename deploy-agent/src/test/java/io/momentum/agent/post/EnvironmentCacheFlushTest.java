package io.momentum.agent.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.momentum.shared.event.PostDeployOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache flush against a {@link PuppetServerStandIn} that requires a client certificate signed by its CA, the
 * client key both as PKCS#8 and in Puppet's PKCS#1 form: what it sends, how each failure is named, and the retries
 * while the server is starting. The agent's own TLS configuration ({@code quarkus.tls.puppet-admin.*}) is proven in
 * {@link PuppetAdminTlsTest}; the real Puppet Server in the e2e module's {@code RealPuppetServerIT}.
 */
class EnvironmentCacheFlushTest {

    private static final String CLIENT = "'CN=cm1.example.net' (client.pem)";

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

    @AfterEach
    void answerNormally() {
        server.status.set(204);
        server.firstAnswers.clear();
        server.body.set("");
    }

    private static SSLContext withClientCertificate() throws Exception {
        return server.context(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client-pkcs1.key")));
    }

    private static EnvironmentCacheFlush flush(URI url, SSLContext context) {
        return new EnvironmentCacheFlush(url, () -> context, Duration.ofSeconds(5), () -> CLIENT);
    }

    private static EnvironmentCacheFlush flush() throws Exception {
        return flush(server.url(), withClientCertificate());
    }

    private static PostDeploySteps retrying(EnvironmentCacheFlush flush, Duration retryFor) {
        return new PostDeploySteps(List.of(flush), retryFor, new SimpleMeterRegistry());
    }

    @Test
    void deletesTheEnvironmentFromPuppetServersCacheWithAClientCertificate() throws Exception {
        assertThat(flush().run("production", false))
                .isEqualTo("HTTP 204 from " + server.url() + "/puppet-admin-api/v1/environment-cache?environment=production");
        flush(server.url(), server.context(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client.key"))))
                .run("feature_x", true);

        assertThat(server.requests).contains("DELETE /puppet-admin-api/v1/environment-cache?environment=production",
                "DELETE /puppet-admin-api/v1/environment-cache?environment=feature_x");
    }

    @Test
    void aRefusalNamesTheMissingAuthConfRuleAndTheCertificate() {
        server.status.set(403);
        server.body.set("Forbidden request: cm1.example.net(127.0.0.1) access to /puppet-admin-api/v1/environment-cache"
                + " (method :delete) (authenticated: true) denied by rule 'puppetlabs deny all'.");

        assertThatThrownBy(() -> flush().run("production", false))
                .isInstanceOfSatisfying(PostDeployException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("forbidden: add the auth.conf rule allowing " + CLIENT
                        + " to DELETE /puppet-admin-api/v1/environment-cache")
                .hasMessageContaining("denied by rule 'puppetlabs deny all'");
    }

    @Test
    void aRenewedContextIsUsedFromTheNextFlushOn() throws Exception {
        AtomicReference<SSLContext> current = new AtomicReference<>(server.context(Optional.empty(), Optional.empty()));
        EnvironmentCacheFlush flush = new EnvironmentCacheFlush(server.url(), current::get, Duration.ofSeconds(10),
                () -> CLIENT);
        assertThatThrownBy(() -> flush.run("production", false)).hasMessageContaining("TLS handshake");

        current.set(withClientCertificate());
        flush.run("renewed", false);

        assertThat(server.requests).contains("DELETE /puppet-admin-api/v1/environment-cache?environment=renewed");
    }

    @Test
    void withoutAClientCertificateTheHandshakeFailureNamesTheCertificate() throws Exception {
        assertThatThrownBy(() -> flush(server.url(), server.context(Optional.empty(), Optional.empty()))
                .run("production", false))
                .isInstanceOfSatisfying(PostDeployException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + server.url().getPort() + " failed: ")
                .hasMessageContaining("refused the client certificate " + CLIENT)
                .hasMessageNotContaining("null");
    }

    @Test
    void theClientCertificateIsNamedBySubjectIssuerAndFile() {
        assertThat(PostDeploySteps.describeCertificate(Optional.of(pki.resolve("client.pem"))))
                .isEqualTo("'CN=cm1.example.net' (" + pki.resolve("client.pem") + ", issued by 'CN=Puppet CA: test')");
        assertThat(PostDeploySteps.describeCertificate(Optional.empty()))
                .isEqualTo("(none in quarkus.tls.puppet-admin.key-store.pem.0.cert)");
    }

    @Test
    void anUntrustedServerCertificateIsNamedAsSuch() throws Exception {
        SSLContext trustingTheWrongCa = server.contextTrusting(pki.resolve("client.pem"),
                Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client.key")));

        assertThatThrownBy(() -> flush(server.url(), trustingTheWrongCa).run("production", false))
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + server.url().getPort() + " failed: ")
                .hasMessageContaining("the server's certificate is not trusted by quarkus.tls.puppet-admin.trust-store");
    }

    @Test
    void aClosedPortIsAConnectionRefusedAtTheUrlNotNull() throws Exception {
        int closed = freePort();
        URI url = URI.create("https://127.0.0.1:" + closed);

        assertThatThrownBy(() -> flush(url, withClientCertificate()).run("production", false))
                .isInstanceOfSatisfying(PostDeployException.class, e -> assertThat(e.isTransient()).isTrue())
                .hasMessage("connection refused at " + url + ": Puppet Server is not listening on 127.0.0.1:"
                        + closed);
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    return null;
                }
            });
            EnvironmentCacheFlush flush = new EnvironmentCacheFlush(
                    URI.create("https://127.0.0.1:" + silent.getLocalPort()), () -> {
                        try {
                            return withClientCertificate();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, Duration.ofMillis(500), () -> CLIENT);

            assertThatThrownBy(() -> flush.run("production", false)).hasMessageStartingWith("timeout: ")
                    .hasMessageContaining("within PT0.5S");
            Socket socket = accepted.get(5, TimeUnit.SECONDS);
            if (socket != null) {
                socket.close();
            }
        }
    }

    @Test
    void whileTheServerStartsTheFlushIsTriedAgainUntilItAnswers() throws Exception {
        int port = freePort();
        URI url = URI.create("https://127.0.0.1:" + port);
        PostDeploySteps steps = retrying(flush(url, withClientCertificate()), Duration.ofSeconds(30));

        // Not listening for a second, then answering 503 once (Puppet Server starting its JRuby pool), then 204.
        CompletableFuture<PuppetServerStandIn> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(1000);
                PuppetServerStandIn starting = server.sameCertificatesOn(port);
                starting.firstAnswers.add(503);
                return starting;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            List<PostDeployOutcome> outcomes = steps.run("production", false);

            assertThat(outcomes).singleElement().satisfies(outcome -> {
                assertThat(outcome.step()).isEqualTo("flush-environment-cache");
                assertThat(outcome.ok()).as(outcome.detail()).isTrue();
                assertThat(outcome.detail()).startsWith("HTTP 204 from " + url).contains(" attempts in ");
                assertThat(outcome.durationMs()).isGreaterThanOrEqualTo(900);
            });
            assertThat(later.get(10, TimeUnit.SECONDS).requests).hasSize(2);
        } finally {
            later.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aServerThatStaysDownFailsAfterTheBudgetAndLaterDeploysOfTheSameOutageFailFast() throws Exception {
        int closed = freePort();
        URI url = URI.create("https://127.0.0.1:" + closed);
        PostDeploySteps steps = retrying(flush(url, withClientCertificate()), Duration.ofSeconds(2));

        long started = System.nanoTime();
        PostDeployOutcome first = steps.run("production", false).get(0);
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(first.ok()).isFalse();
        assertThat(first.detail()).startsWith("connection refused at " + url)
                .contains("momentum.deploy.post.retry-for is PT2S");
        assertThat(firstMillis).isBetween(1000L, 4000L);

        started = System.nanoTime();
        PostDeployOutcome second = steps.run("development", false).get(0);
        assertThat(second.ok()).isFalse();
        assertThat(second.detail()).contains("1 attempt(s)");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000L);
    }

    @Test
    void aPermanentFailureIsNotTriedAgain() throws Exception {
        server.status.set(403);
        PostDeploySteps steps = retrying(flush(), Duration.ofSeconds(30));
        int before = server.requests.size();

        assertThat(steps.run("production", false)).singleElement().satisfies(outcome -> {
            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.detail()).contains("HTTP 403").doesNotContain("attempts");
        });
        assertThat(server.requests).hasSize(before + 1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
