package io.momentum.git;

import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's HTTPS connections trusting the public CAs and one more: the git host's own CA (a PEM file). With
 * {@code http.sslVerify=false} in a repository's config JGit's own session still turns verification off.
 */
final class CaTrustingConnectionFactory implements HttpConnectionFactory2 {

    private final JDKHttpConnectionFactory delegate = new JDKHttpConnectionFactory();
    private final TrustManager[] trust;

    CaTrustingConnectionFactory(Path caFile) throws IOException, GeneralSecurityException {
        this.trust = new TrustManager[] {new EitherTrustManager(List.of(managerFor(caFile), managerFor(null)))};
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return delegate.create(url);
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return delegate.create(url, proxy);
    }

    @Override
    public GitSession newSession() {
        GitSession jgit = delegate.newSession();
        return new GitSession() {
            @Override
            public HttpConnection configure(HttpConnection connection, boolean sslVerify)
                    throws IOException, GeneralSecurityException {
                if (!sslVerify) {
                    return jgit.configure(connection, false);
                }
                connection.configure(null, trust, null);
                return connection;
            }

            @Override
            public void close() {
                jgit.close();
            }
        };
    }

    /** Trust managers of the JDK's default CAs (caFile null) or of the certificates in a PEM file. */
    private static X509TrustManager managerFor(Path caFile) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile == null) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("git-ca-" + i++, certificate);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("momentum.git.ssl-ca-file " + caFile
                            + " holds no certificate");
                }
            }
            factory.init(store);
        }
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a chain that any of its managers trusts. */
    private record EitherTrustManager(List<X509TrustManager> managers) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            managers.get(0).checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> issuers = new ArrayList<>();
            managers.forEach(manager -> issuers.addAll(List.of(manager.getAcceptedIssuers())));
            return issuers.toArray(X509Certificate[]::new);
        }
    }
}
