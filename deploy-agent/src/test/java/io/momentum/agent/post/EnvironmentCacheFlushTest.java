package io.momentum.agent.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache flush against a loopback HTTPS server that, like Puppet Server, requires a client certificate signed by
 * its CA. The PEM files are made with the real {@code openssl}, the client key in Puppet's PKCS#1 form.
 */
class EnvironmentCacheFlushTest {

    @TempDir
    static Path pki;

    private static HttpsServer server;
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static final AtomicInteger status = new AtomicInteger(204);

    @BeforeAll
    static void startPuppetServerStandIn() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Puppet CA: test");
        Files.writeString(pki.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        for (String name : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                    "-subj", "/CN=" + (name.equals("server") ? "localhost" : "cm1.example.net"));
            openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", name + ".pem", "-days", "2", "-extfile", "san.ext");
        }
        openssl("rsa", "-in", "client.key", "-out", "client-pkcs1.key", "-traditional");
        assertThat(Files.readString(pki.resolve("client-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");

        SSLContext serverSsl = PemSsl.context(pki.resolve("ca.pem"), Optional.of(pki.resolve("server.pem")),
                Optional.of(pki.resolve("server.key")));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverSsl) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = serverSsl.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }

    private static URI puppetServer() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private static EnvironmentCacheFlush flush(Optional<Path> cert, Optional<Path> key) throws Exception {
        return new EnvironmentCacheFlush(puppetServer(), PemSsl.context(pki.resolve("ca.pem"), cert, key),
                Duration.ofSeconds(10));
    }

    @Test
    void deletesTheEnvironmentFromPuppetServersCacheWithAClientCertificate() throws Exception {
        status.set(204);
        flush(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client-pkcs1.key")))
                .run("production", false);
        flush(Optional.of(pki.resolve("client.pem")), Optional.of(pki.resolve("client.key")))
                .run("feature_x", true);

        assertThat(requests).contains("DELETE /puppet-admin-api/v1/environment-cache?environment=production",
                "DELETE /puppet-admin-api/v1/environment-cache?environment=feature_x");
    }

    @Test
    void aRefusalIsAFailureThatNamesTheStatus() throws Exception {
        status.set(403);
        try {
            assertThatThrownBy(() -> flush(Optional.of(pki.resolve("client.pem")),
                    Optional.of(pki.resolve("client.key"))).run("production", false))
                    .isInstanceOf(PostDeployException.class).hasMessageContaining("HTTP 403");
        } finally {
            status.set(204);
        }
    }

    @Test
    void withoutAClientCertificateTheServerRefusesTheHandshake() throws Exception {
        assertThatThrownBy(() -> flush(Optional.empty(), Optional.empty()).run("production", false))
                .isInstanceOf(PostDeployException.class).hasMessageContaining("cannot reach");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedUpFront() {
        assertThatThrownBy(() -> PemSsl.context(pki.resolve("ca.pem"), Optional.of(pki.resolve("client.pem")),
                Optional.empty())).hasMessageContaining("needs its key");
    }
}
