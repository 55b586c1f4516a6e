package io.momentum.health.probe;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The monitor with its TLS configuration {@code puppet} pointing at Puppet-style PEM files (CA certificate, host
 * certificate, PKCS#1 host key) and a stand-in Puppet Server that requires that client certificate.
 */
public class PuppetTlsProfile implements QuarkusTestProfile {

    /**
     * The stand-in's URL once started: a system property, because Quarkus reads the profile in more than one class
     * loader and a second server would overwrite the PEM files of the first. It lives as long as the test JVM.
     */
    private static final String STARTED = "momentum.test.puppet-tls.url";

    @Override
    public Map<String, String> getConfigOverrides() {
        Path pki = Path.of("target", "puppet-tls").toAbsolutePath();
        if (System.getProperty(STARTED) == null) {
            try {
                Files.createDirectories(pki);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestPki puppetCa = new TestPki("Puppet CA: profile");
            TestPki.writeCertificate(pki.resolve("ca.pem"), puppetCa.ca().certificate());
            TestPki.Issued monitor = puppetCa.issue("monitor.example.net");
            TestPki.writeCertificate(pki.resolve("monitor.pem"), monitor.certificate());
            TestPki.writePkcs1Key(pki.resolve("monitor-key.pem"), monitor.keys());
            System.setProperty(STARTED, FakePuppetServer.https(
                    puppetCa.serverContext(puppetCa.issue("cm-tls.example.net")), true).url());
        }
        return Map.of(
                "momentum.health.masters[0].id", "tls-master",
                "momentum.health.masters[0].url", System.getProperty(STARTED),
                // One-off handshakes on a loaded build machine: no 200 ms probe timeout here.
                "momentum.health.interval", "5s",
                "momentum.health.timeout", "3s",
                "quarkus.tls.puppet.trust-store.pem.certs", pki.resolve("ca.pem").toString(),
                "quarkus.tls.puppet.key-store.pem.0.cert", pki.resolve("monitor.pem").toString(),
                "quarkus.tls.puppet.key-store.pem.0.key", pki.resolve("monitor-key.pem").toString());
    }
}
