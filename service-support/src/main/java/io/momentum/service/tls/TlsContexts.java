package io.momentum.service.tls;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * SSL contexts from the Quarkus TLS registry: a named configuration ({@code quarkus.tls.<name>.*}) with PEM files,
 * e.g. Puppet's CA certificate, host certificate and PKCS#1 host key. With
 * {@code quarkus.tls.<name>.reload-period} set, renewed files are picked up: the next {@link #context} call after
 * the registry reloaded returns a context built from the new files.
 */
@ApplicationScoped
public class TlsContexts {

    private static final Logger LOG = Logger.getLogger(TlsContexts.class);

    private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();

    @Inject
    TlsConfigurationRegistry registry;

    /** The configuration's context, or empty when {@code quarkus.tls.<name>.*} is not configured. */
    public Optional<SSLContext> context(String name) {
        Optional<TlsConfiguration> configuration = registry.get(name);
        if (configuration.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(contexts.computeIfAbsent(name, n -> build(n, configuration.get())));
    }

    /** Like {@link #context} but the configuration must exist: a clear start-up error names the missing keys. */
    public SSLContext required(String name, String neededFor) {
        return context(name).orElseThrow(() -> new IllegalStateException(neededFor + " needs the TLS configuration '"
                + name + "': set quarkus.tls." + name + ".trust-store.pem.certs (and key-store.pem.0.cert/.key "
                + "for a client certificate)"));
    }

    void onCertificateUpdated(@Observes CertificateUpdatedEvent event) {
        if (contexts.remove(event.name()) != null) {
            LOG.infof("TLS configuration '%s' reloaded from its files", event.name());
        }
    }

    private static SSLContext build(String name, TlsConfiguration configuration) {
        try {
            return configuration.createSSLContext();
        } catch (Exception e) {
            throw new IllegalStateException("TLS configuration '" + name + "' cannot be used: " + e.getMessage(), e);
        }
    }
}
