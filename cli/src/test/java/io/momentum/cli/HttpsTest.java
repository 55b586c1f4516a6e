package io.momentum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.momentum.testing.TestCertificateAuthority;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-file} against a real TLS endpoint whose certificate comes from a throwaway CA: trusted with the CA,
 * refused (unreachable, exit 3) without it. The endpoint answers one read as webhook-service does.
 */
class HttpsTest {

    static final String TOKEN = "tls-t0ken";

    @TempDir
    static Path dir;

    static TestCertificateAuthority ca;
    static HttpsServer server;

    @BeforeAll
    static void startTlsEndpoint() throws Exception {
        ca = TestCertificateAuthority.create(dir.resolve("ca"));
        String pem = Files.readString(ca.issue("mom"));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(pem)));
        server.createContext("/api/v1/masters", exchange -> {
            boolean authorized = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? "{\"masters\":[]}" : "{\"error\":\"a valid bearer token is required\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
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

    @Test
    void theServersCaGivenWithCaFileIsTrusted() {
        StringWriter out = new StringWriter();

        int exit = run(out, new StringWriter(), "masters", "--ca-file", ca.certificate().toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("no master has reported yet");
    }

    @Test
    void withoutTheCaTheServerIsUnreachableAndTheErrorSaysWhatToGive() {
        StringWriter err = new StringWriter();

        int exit = run(new StringWriter(), err, "masters");

        assertThat(exit).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(err.toString()).contains("TLS failed").contains("--ca-file").doesNotContain(TOKEN);
    }

    @Test
    void aCaFileWithoutCertificatesIsAUsageError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        StringWriter err = new StringWriter();

        assertThat(run(new StringWriter(), err, "masters", "--ca-file", empty.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("CA file");
    }

    static int run(StringWriter out, StringWriter err, String... args) {
        Map<String, String> environment = Map.of("HOME", dir.toString(), "MOMENTUM_TOKEN", TOKEN,
                "MOMENTUM_SERVER", "https://127.0.0.1:" + server.getAddress().getPort());
        return Momentum.execute(args, environment, false, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** The server's TLS context from the PKCS#8 key and certificate PEM that the CA issued. */
    static SSLContext serverContext(String pem) throws Exception {
        Matcher key = Pattern.compile("-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----", Pattern.DOTALL)
                .matcher(pem);
        assertThat(key.find()).isTrue();
        PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(key.group(1))));
        Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(pem.substring(key.end()).getBytes(StandardCharsets.US_ASCII)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("mom", privateKey, new char[0], new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
