package io.momentum.health.probe;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;

/**
 * Client SSL contexts from PEM files built the way the Quarkus TLS registry builds those of
 * {@code quarkus.tls.puppet.*} (Vert.x PEM options), for tests that probe stand-in servers without the application.
 */
final class PemContexts {

    private static final Vertx VERTX = Vertx.vertx();

    private PemContexts() {
    }

    /** Trusts {@code caCert}, presents no client certificate. */
    static SSLContext trusting(Path caCert) {
        return create(caCert, null, null);
    }

    /** Trusts {@code caCert} and presents {@code clientCert} with its PEM key (PKCS#1 or PKCS#8). */
    static SSLContext withClientCertificate(Path caCert, Path clientCert, Path clientKey) {
        return create(caCert, clientCert, clientKey);
    }

    /** The key manager the registry makes of a certificate and its key: fails when the key cannot be read. */
    static X509KeyManager keyManager(Path cert, Path key) throws Exception {
        return (X509KeyManager) keyCert(cert, key).getKeyManagerFactory(VERTX).getKeyManagers()[0];
    }

    private static SSLContext create(Path caCert, Path clientCert, Path clientKey) {
        try {
            KeyManager[] keyManagers = clientCert == null ? null
                    : keyCert(clientCert, clientKey).getKeyManagerFactory(VERTX).getKeyManagers();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new PemTrustOptions().addCertPath(caCert.toString())
                    .getTrustManagerFactory(VERTX).getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS context from " + caCert + ": " + e.getMessage(), e);
        }
    }

    private static PemKeyCertOptions keyCert(Path cert, Path key) {
        PemKeyCertOptions options = new PemKeyCertOptions().addCertPath(cert.toString());
        return key == null ? options : options.addKeyPath(key.toString());
    }
}
