package io.momentum.agent.post;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTPS server that, like Puppet Server, requires a client certificate signed by its CA, with PEM files
 * made by the real {@code openssl}: {@code ca.pem}, {@code server.pem}/{@code server.key}, and {@code client.pem}
 * with its key both as PKCS#8 ({@code client.key}) and as Puppet writes it, PKCS#1 ({@code client-pkcs1.key}).
 */
final class PuppetServerStandIn implements AutoCloseable {

    final Path pki;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(204);
    /** Answers given before {@link #status}, one per request (e.g. 503 while "starting"). */
    final Queue<Integer> firstAnswers = new ConcurrentLinkedQueue<>();
    /** The body of every answer (Puppet Server explains a 403 in it). */
    final AtomicReference<String> body = new AtomicReference<>("");
    private final Vertx vertx = Vertx.vertx();
    private final HttpsServer server;

    static boolean opensslInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    PuppetServerStandIn(Path pki) throws Exception {
        this(pki, 0, true);
    }

    /** Another stand-in with this one's certificates, on {@code port}: a server that starts where none listened. */
    PuppetServerStandIn sameCertificatesOn(int port) throws Exception {
        return new PuppetServerStandIn(pki, port, false);
    }

    private PuppetServerStandIn(Path pki, int port, boolean newPki) throws Exception {
        this.pki = pki;
        if (newPki) {
            createPki();
        }
        SSLContext serverSsl = context(Optional.of(pki.resolve("server.pem")), Optional.of(pki.resolve("server.key")));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
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
            Integer first = firstAnswers.poll();
            byte[] answer = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(first != null ? first : status.get(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    private void createPki() throws IOException, InterruptedException {
        Files.createDirectories(pki);
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
        if (!Files.readString(pki.resolve("client-pkcs1.key")).contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalStateException("openssl did not write a PKCS#1 key");
        }
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * An SSL context that trusts the stand-in's CA, with the given client certificate, from PEM files read by Vert.x
     * as the Quarkus TLS registry reads {@code quarkus.tls.<name>.*}.
     */
    SSLContext context(Optional<Path> cert, Optional<Path> key) throws Exception {
        return contextTrusting(pki.resolve("ca.pem"), cert, key);
    }

    /** As {@link #context}, trusting {@code trusted} instead of the stand-in's CA. */
    SSLContext contextTrusting(Path trusted, Optional<Path> cert, Optional<Path> key) throws Exception {
        KeyManager[] keyManagers = cert.isEmpty() ? null : new PemKeyCertOptions()
                .setCertPath(cert.get().toString()).setKeyPath(key.orElseThrow().toString())
                .getKeyManagerFactory(vertx).getKeyManagers();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, new PemTrustOptions().addCertPath(trusted.toString())
                .getTrustManagerFactory(vertx).getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
        vertx.close();
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
