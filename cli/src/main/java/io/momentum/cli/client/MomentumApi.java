package io.momentum.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import io.momentum.cli.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * webhook-service's {@code /api/v1} over the JDK's HttpClient, answers as JSON trees. Every failure becomes a
 * {@link CliException} with the exit code of its kind and the server's own {@code {"error": ...}} text.
 */
public final class MomentumApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper json;

    public MomentumApi(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        settings.caFile().ifPresent(ca -> builder.sslContext(trusting(ca)));
        this.http = builder.build();
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public URI server() {
        return settings.server();
    }

    /** A path segment (environment name, digest) as the URL needs it. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        if (settings.token() == null) {
            throw new CliException(ExitCode.USAGE, "no API token: give --token-file FILE, set MOMENTUM_TOKEN, or"
                    + " put token-file = FILE in ~/.config/momentum/config");
        }
        URI uri = URI.create(settings.server() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + settings.token())
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (SSLException e) {
            throw unreachable("TLS failed (" + e.getMessage() + "); give the server's CA with --ca-file");
        } catch (IOException e) {
            throw unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "interrupted");
        }
        return answer(method, path, response.statusCode(), response.body());
    }

    /** The JSON of a 2xx answer, else the exception of the status's kind. */
    JsonNode answer(String method, String path, int status, String body) {
        JsonNode tree = parse(body);
        if (status >= 200 && status < 300) {
            if (tree == null) {
                throw new CliException(ExitCode.SERVER_ERROR, method + " " + path + " answered " + status
                        + " with no JSON: is " + settings.server() + " a Momentum webhook-service?");
            }
            return tree;
        }
        String error = tree != null && tree.hasNonNull("error") ? tree.get("error").asText()
                : "HTTP " + status;
        throw switch (status) {
            case 401, 403 -> new CliException(ExitCode.UNAUTHORIZED, "the server refused the token (" + status + ": "
                    + error + "); check --token-file, MOMENTUM_TOKEN or the config file");
            case 404 -> new CliException(ExitCode.NOT_FOUND, "not found: " + (tree == null
                    ? method + " " + path + " is not an endpoint of " + settings.server() : error));
            case 400, 409, 413, 415 -> new CliException(ExitCode.REFUSED, "refused (" + status + "): " + error);
            default -> new CliException(ExitCode.SERVER_ERROR, "the server failed (" + status + "): " + error);
        };
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private CliException unreachable(String why) {
        return new CliException(ExitCode.UNREACHABLE, "cannot reach the Momentum server at " + settings.server()
                + ": " + why + " (set --server or MOMENTUM_SERVER)");
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new CliException(ExitCode.USAGE, "no PEM certificate in the CA file " + caFile);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(ExitCode.USAGE, "cannot use the CA file " + caFile + ": " + e.getMessage());
        }
    }
}
