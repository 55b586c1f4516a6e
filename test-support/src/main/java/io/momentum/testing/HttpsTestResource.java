package io.momentum.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a {@code @QuarkusTest}'s application over HTTPS only, with a real certificate: a fresh
 * {@link TestCertificateAuthority} issues one for 127.0.0.1 and localhost, written as PEM files before the
 * application boots and given to it through the TLS registry ({@code quarkus.tls.https.*},
 * {@code quarkus.http.tls-configuration-name=https}); plain HTTP is switched off
 * ({@code quarkus.http.insecure-requests=disabled}). Tests get an {@link HttpsEndpoint} field. Init args are passed
 * on as configuration (e.g. extra API tokens).
 */
public class HttpsTestResource implements QuarkusTestResourceLifecycleManager {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----[^-]+-----END \\1-----\\s*", Pattern.DOTALL);

    private final Map<String, String> extra = new HashMap<>();
    private Path dir;
    private HttpsEndpoint endpoint;

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("momentum-https");
            TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("ca"));
            String keyAndCertificate = Files.readString(ca.issue("localhost"));
            Path key = dir.resolve("server-key.pem");
            Path certificate = dir.resolve("server.pem");
            Matcher blocks = PEM.matcher(keyAndCertificate);
            while (blocks.find()) {
                Files.writeString(blocks.group(1).contains("PRIVATE KEY") ? key : certificate, blocks.group(),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            int httpsPort = freePort();
            int plainPort = freePort();
            endpoint = new HttpsEndpoint(httpsPort, plainPort, ca.certificate());
            Map<String, String> config = new HashMap<>(extra);
            config.put("quarkus.tls.https.key-store.pem.0.cert", certificate.toString());
            config.put("quarkus.tls.https.key-store.pem.0.key", key.toString());
            config.put("quarkus.http.tls-configuration-name", "https");
            config.put("quarkus.http.insecure-requests", "disabled");
            config.put("quarkus.http.test-ssl-port", Integer.toString(httpsPort));
            config.put("quarkus.http.test-port", Integer.toString(plainPort));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(endpoint, new TestInjector.MatchesType(HttpsEndpoint.class));
    }

    @Override
    public void stop() {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
