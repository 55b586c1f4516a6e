package io.momentum.agent.post;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Tells Puppet Server to drop its cached copy of one environment
 * ({@code DELETE /puppet-admin-api/v1/environment-cache?environment=<env>}), so the next catalog compiles the new
 * code. Puppet Server answers 204; the client certificate must be allowed by its {@code puppet-admin} rules.
 */
public final class EnvironmentCacheFlush implements PostDeployStep {

    private final HttpClient client;
    private final URI puppetServer;
    private final Duration timeout;

    public EnvironmentCacheFlush(URI puppetServer, SSLContext ssl, Duration timeout) {
        this.client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(timeout).build();
        this.puppetServer = puppetServer;
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
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
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
}
