package io.momentum.agent.post;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent with the cache flush on, its TLS configuration {@code puppet-admin} pointing at Puppet-style PEM files
 * (the client key PKCS#1) of a {@link PuppetServerStandIn} started before the application.
 */
public class PuppetAdminTlsProfile implements QuarkusTestProfile {

    /** Started once per class loader that reads the profile; it lives as long as the test JVM. */
    private static PuppetServerStandIn server;

    @Override
    public Map<String, String> getConfigOverrides() {
        Path pki = Path.of("target", "puppet-admin-tls").toAbsolutePath();
        try {
            if (server == null) {
                server = new PuppetServerStandIn(pki);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Puppet Server stand-in: " + e.getMessage(), e);
        }
        return Map.of(
                "momentum.agent.master-id", "tls-master",
                "momentum.agent.puppet-server-url", server.url().toString(),
                "momentum.deploy.post.flush-environment-cache", "true",
                "quarkus.tls.puppet-admin.trust-store.pem.certs", pki.resolve("ca.pem").toString(),
                "quarkus.tls.puppet-admin.key-store.pem.0.cert", pki.resolve("client.pem").toString(),
                "quarkus.tls.puppet-admin.key-store.pem.0.key", pki.resolve("client-pkcs1.key").toString());
    }
}
