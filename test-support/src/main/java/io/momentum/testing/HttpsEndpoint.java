package io.momentum.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTPS endpoint {@link HttpsTestResource} started: where it listens, the CA that issued its certificate,
 * and the plain-HTTP port that must stay closed.
 *
 * @param httpsPort the application's HTTPS port
 * @param plainPort the port plain HTTP would have used
 * @param caCertificate the issuing CA's certificate (PEM)
 */
public record HttpsEndpoint(int httpsPort, int plainPort, Path caCertificate) {

    public URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    /** A client that trusts exactly the test CA and nothing else. */
    public HttpClient trustingClient() {
        return HttpClient.newBuilder().sslContext(trustingOnlyTheCa()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** An SSL context whose only trust anchor is the test CA. */
    public SSLContext trustingOnlyTheCa() {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
