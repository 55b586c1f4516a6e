package io.momentum.health.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.health.domain.ProbeOutcome;
import io.momentum.shared.json.EventCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Puppet Server's status API client. {@code GET /status/v1/simple} answering {@code 200 running} is healthy; any
 * other answer, a timeout, a refused connection or a TLS failure is not. When a server answers but is not running,
 * {@code GET /status/v1/services?level=critical} names the services that are not, within what is left of the timeout.
 */
public final class PuppetStatusClient implements StatusProbe {

    static final String SIMPLE = "/status/v1/simple";
    static final String SERVICES = "/status/v1/services?level=critical";
    private static final int MAX_BODY_IN_REASON = 80;
    private static final Duration MIN_DETAIL_BUDGET = Duration.ofMillis(50);

    private final HttpClient client;
    private final Duration timeout;
    private final boolean serviceDetails;
    private final Clock clock;

    public PuppetStatusClient(HttpClient client, Duration timeout, boolean serviceDetails, Clock clock) {
        this.client = client;
        this.timeout = timeout;
        this.serviceDetails = serviceDetails;
        this.clock = clock;
    }

    /**
     * An HTTP/1.1 client for status probes: connects within the probe timeout, verifies the server certificate
     * and host name against {@code tls}, never follows redirects (a redirect is not {@code running}).
     */
    public static HttpClient httpClient(SSLContext tls, Duration timeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls)
                .build();
    }

    @Override
    public CompletableFuture<ProbeOutcome> probe(String baseUrl) {
        long started = System.nanoTime();
        HttpRequest request;
        try {
            request = get(baseUrl, SIMPLE, timeout);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    ProbeOutcome.unhealthy("bad status URL " + baseUrl + ": " + e.getMessage(), null, now()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(response -> judge(baseUrl, response, started))
                .exceptionally(failure -> ProbeOutcome.unhealthy(describe(failure), null, now()));
    }

    private CompletableFuture<ProbeOutcome> judge(String baseUrl, HttpResponse<String> response, long started) {
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String body = response.body() == null ? "" : response.body().strip();
        if (response.statusCode() == 200 && body.equals("running")) {
            return CompletableFuture.completedFuture(ProbeOutcome.healthy(latencyMs, now()));
        }
        String reason = "HTTP " + response.statusCode() + (body.isEmpty() ? "" : ": " + abbreviate(body));
        Duration left = timeout.minusNanos(System.nanoTime() - started);
        if (!serviceDetails || left.compareTo(MIN_DETAIL_BUDGET) < 0) {
            return CompletableFuture.completedFuture(ProbeOutcome.unhealthy(reason, latencyMs, now()));
        }
        return client.sendAsync(get(baseUrl, SERVICES, left), HttpResponse.BodyHandlers.ofString())
                .orTimeout(left.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(details -> notRunning(details.body()))
                .exceptionally(failure -> List.of())
                .thenApply(services -> ProbeOutcome.unhealthy(
                        services.isEmpty() ? reason : reason + " (not running: " + String.join(", ", services) + ")",
                        latencyMs, now()));
    }

    /** {@code name=state} of every service of a services-status document whose state is not {@code running}. */
    static List<String> notRunning(String json) {
        List<String> services = new ArrayList<>();
        try {
            JsonNode tree = EventCodec.mapper().readTree(json);
            if (tree == null || !tree.isObject()) {
                return services;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> service = it.next();
                String state = service.getValue().path("state").asText("unknown");
                if (!state.equals("running")) {
                    services.add(service.getKey() + "=" + state);
                }
            }
        } catch (IOException e) {
            // Details are a courtesy: without them the simple status still tells the verdict.
        }
        services.sort(null);
        return services;
    }

    private static HttpRequest get(String baseUrl, String path, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", path.equals(SIMPLE) ? "text/plain" : "application/json")
                .GET()
                .build();
    }

    private String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause.getClass() == IOException.class)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "connection refused" + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        }
        if (cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (cause instanceof SSLException) {
            return "TLS failure: " + rootMessage(cause);
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return abbreviate(String.valueOf(root.getMessage() != null ? root.getMessage() : failure.getMessage()));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_REASON ? oneLine : oneLine.substring(0, MAX_BODY_IN_REASON) + "...";
    }

    private Instant now() {
        return clock.instant();
    }
}
