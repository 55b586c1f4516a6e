package io.momentum.agent.post;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Tells Puppet Server to drop its cached copy of one environment
 * ({@code DELETE /puppet-admin-api/v1/environment-cache?environment=<env>}), so the next catalog compiles the new
 * code. Puppet Server answers 204; the client certificate must be allowed by its {@code puppet-admin} rules. The SSL
 * context is asked for on every flush, so renewed certificate files (a new context) are used without a restart.
 */
public final class EnvironmentCacheFlush implements PostDeployStep {

    private final URI puppetServer;
    private final Supplier<SSLContext> ssl;
    private final Duration timeout;
    private SSLContext clientContext;
    private HttpClient client;

    public EnvironmentCacheFlush(URI puppetServer, Supplier<SSLContext> ssl, Duration timeout) {
        this.puppetServer = puppetServer;
        this.ssl = ssl;
        this.timeout = timeout;
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
    public void run(String environment, boolean purged) throws PostDeployException {
        URI uri = puppetServer.resolve("/puppet-admin-api/v1/environment-cache?environment="
                + URLEncoder.encode(environment, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).DELETE().timeout(timeout).build();
        try {
            HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String body = response.body().strip();
                throw new PostDeployException("HTTP " + response.statusCode() + " from " + uri
                        + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) : body)));
            }
        } catch (IOException e) {
            throw new PostDeployException("cannot reach " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostDeployException("interrupted while flushing " + uri);
        }
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
