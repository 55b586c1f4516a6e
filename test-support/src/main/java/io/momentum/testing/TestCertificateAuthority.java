package io.momentum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with {@code openssl} (argument arrays, no shell) in a directory of its
 * own, valid for two days. It issues PEM server certificates for 127.0.0.1 and localhost, so that a test can run a
 * real TLS endpoint whose clients trust exactly this CA and nothing else.
 */
public final class TestCertificateAuthority {

    private final Path dir;

    private TestCertificateAuthority(Path dir) {
        this.dir = dir;
    }

    /** A new CA whose key and certificate are kept in {@code dir}. */
    public static TestCertificateAuthority create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificateAuthority ca = new TestCertificateAuthority(dir);
        ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=Momentum test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", ca.key().toString(), "-out", ca.certificate().toString());
        return ca;
    }

    /** The CA certificate (PEM): what clients put in their truststore. */
    public Path certificate() {
        return dir.resolve("ca.pem");
    }

    private Path key() {
        return dir.resolve("ca-key.pem");
    }

    /**
     * Issues a server certificate for {@code commonName}, valid for 127.0.0.1 and localhost (and usable as a
     * client certificate too), and writes its unencrypted PKCS#8 key followed by the certificate into one PEM
     * file: the layout Kafka's {@code ssl.keystore.type=PEM} reads.
     *
     * @return the key-and-certificate file
     */
    public Path issue(String commonName) {
        try {
            Path key = dir.resolve(commonName + "-key.pem");
            Path request = dir.resolve(commonName + ".csr");
            Path cert = dir.resolve(commonName + ".pem");
            Path extensions = dir.resolve(commonName + ".ext");
            Files.writeString(extensions, String.join("\n",
                    "basicConstraints=critical,CA:FALSE",
                    "keyUsage=critical,digitalSignature,keyEncipherment",
                    "extendedKeyUsage=serverAuth,clientAuth",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    ""));
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
                    "-keyout", key.toString(), "-out", request.toString());
            openssl("x509", "-req", "-in", request.toString(), "-CA", certificate().toString(),
                    "-CAkey", key().toString(), "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
                    "-out", cert.toString());
            Path keyAndCertificate = dir.resolve(commonName + "-keystore.pem");
            Files.writeString(keyAndCertificate, Files.readString(key) + Files.readString(cert));
            return keyAndCertificate;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
