package io.momentum.agent.post;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Tells Puppet Server to drop its cached copy of one environment
 * ({@code DELETE /puppet-admin-api/v1/environment-cache?environment=<env>}), so the next catalog compiles the new
 * code. Puppet Server answers 204 when its auth.conf allows the client certificate. The SSL context is asked for on
 * every flush, so renewed certificate files (a new context) are used without a restart.
 *
 * <p>A failure names its cause: connection refused (transient: Puppet Server is not listening yet), 503 (transient:
 * it is starting), a connect or answer timeout, a TLS handshake that failed on either side (which certificate),
 * or 403 (the auth.conf rule is missing).
 */
public final class EnvironmentCacheFlush implements PostDeployStep {

    static final String ADMIN_PATH = "/puppet-admin-api/v1/environment-cache";
    private static final int MAX_BODY = 300;

    private final URI puppetServer;
    private final Supplier<SSLContext> ssl;
    private final Duration timeout;
    private final Supplier<String> clientCertificate;
    private SSLContext clientContext;
    private HttpClient client;

    /**
     * @param clientCertificate names the client certificate in a failure message (its subject and file), read only
     *     when a handshake failed
     */
    public EnvironmentCacheFlush(URI puppetServer, Supplier<SSLContext> ssl, Duration timeout,
            Supplier<String> clientCertificate) {
        this.puppetServer = puppetServer;
        this.ssl = ssl;
        this.timeout = timeout;
        this.clientCertificate = clientCertificate;
    }

    @Override
    public String name() {
        return "flush-environment-cache";
    }

    @Override
    public boolean runsAfterPurge() {
        return true;
    }

    @Override
    public String run(String environment, boolean purged) throws PostDeployException {
        URI uri = puppetServer.resolve(ADMIN_PATH + "?environment="
                + URLEncoder.encode(environment, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).DELETE().timeout(timeout).build();
        HttpResponse<String> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostDeployException("interrupted while flushing " + uri);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return "HTTP " + status + " from " + uri;
        }
        String body = abbreviated(response.body());
        if (status == 403) {
            throw new PostDeployException("HTTP 403 from " + uri + ": forbidden: add the auth.conf rule allowing "
                    + clientCertificate.get() + " to DELETE " + ADMIN_PATH + " (see the operator guide)"
                    + (body.isEmpty() ? "" : "; Puppet Server said: " + body));
        }
        throw new PostDeployException("HTTP " + status + " from " + uri + (status == 503 ? " (starting?)" : "")
                + (body.isEmpty() ? "" : ": " + body), status == 503);
    }

    /** The cause of an I/O failure in words; the JDK's own messages are often null or say little. */
    private PostDeployException failure(URI uri, IOException e) {
        String server = uri.getHost() + ":" + port(uri);
        if (e instanceof HttpConnectTimeoutException) {
            return new PostDeployException("timeout: no connection to " + server + " within " + timeout, true);
        }
        if (e instanceof HttpTimeoutException) {
            return new PostDeployException("timeout: " + server + " did not answer " + uri + " within " + timeout);
        }
        if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, UnknownHostException.class)) {
            return new PostDeployException("cannot resolve " + uri.getHost() + " (momentum.agent.puppet-server-url "
                    + puppetServer + ")");
        }
        if (e instanceof ConnectException) {
            String why = describe(e);
            // The JDK's ConnectException often has no message at all: a refused connection.
            if (why.equals(ConnectException.class.getSimpleName()) || why.toLowerCase(Locale.ROOT).contains("refused")) {
                return new PostDeployException("connection refused at " + puppetServer + ": Puppet Server is not "
                        + "listening on " + server, true);
            }
            return new PostDeployException("cannot connect to " + server + ": " + why, true);
        }
        SSLException tls = cause(e, SSLException.class);
        if (tls != null) {
            return new PostDeployException(handshakeFailure(server, tls));
        }
        if (causedBy(e, EOFException.class) || describe(e).contains("received no bytes")) {
            // TLS 1.3: the client's handshake completes before the server checks the client certificate, so a
            // refused certificate shows as a connection closed without an answer.
            return new PostDeployException("TLS handshake with " + server + " failed: the server closed the "
                    + "connection without an answer, so it refused the client certificate " + clientCertificate.get()
                    + " (it must be signed by the Puppet CA and not revoked)");
        }
        return new PostDeployException("cannot reach " + uri + ": " + describe(e));
    }

    private String handshakeFailure(String server, SSLException e) {
        String message = describe(e);
        String lower = message.toLowerCase(Locale.ROOT);
        String prefix = "TLS handshake with " + server + " failed: ";
        if (causedBy(e, CertificateException.class) || lower.contains("pkix") || lower.contains("subject alternative")
                || lower.contains("no name matching")) {
            return prefix + "the server's certificate is not trusted by quarkus.tls.puppet-admin.trust-store "
                    + "(it must hold the Puppet CA certificate, and the certificate must name the host of "
                    + "momentum.agent.puppet-server-url): " + message;
        }
        if (e instanceof SSLHandshakeException || lower.contains("alert")) {
            return prefix + "the server refused the client certificate " + clientCertificate.get()
                    + " (it must be signed by the Puppet CA and not revoked): " + message;
        }
        return prefix + message;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : 443;
    }

    private static String abbreviated(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > MAX_BODY ? text.substring(0, MAX_BODY) + "..." : text;
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** A client for the current SSL context: a new one once the TLS registry reloaded renewed files. */
    private synchronized HttpClient client() {
        SSLContext current = ssl.get();
        if (current != clientContext) {
            client = HttpClient.newBuilder().sslContext(current).connectTimeout(timeout).build();
            clientContext = current;
        }
        return client;
    }
}
