package io.momentum.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import io.momentum.cli.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * webhook-service's {@code /api/v1}, answers as JSON trees. Every failure becomes a {@link CliException} with the
 * exit code of its kind and the server's own {@code {"error": ...}} text. {@link HttpURLConnection} rather than
 * {@code java.net.http.HttpClient}: the latter builds the JVM's default TLS context (hundreds of classes, the whole
 * cacerts store) even for an http:// server, a third of a short command's start-up.
 */
public final class MomentumApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final ObjectMapper json;
    private SSLSocketFactory tls;

    public MomentumApi(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
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
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection https && settings.caFile().isPresent()) {
                if (tls == null) {
                    tls = trusting(settings.caFile().get()).getSocketFactory();
                }
                https.setSSLSocketFactory(tls);
            }
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            connection.setRequestMethod(method);
            connection.setRequestProperty("Authorization", "Bearer " + settings.token());
            connection.setRequestProperty("Accept", "application/json");
            if (body != null) {
                byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return answer(method, path, status, answer);
        } catch (SocketTimeoutException e) {
            throw unreachable("no answer within " + (e.getMessage() != null && e.getMessage().contains("connect")
                    ? CONNECT_TIMEOUT.toSeconds() : REQUEST_TIMEOUT.toSeconds()) + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (UnknownHostException e) {
            throw unreachable("unknown host " + e.getMessage());
        } catch (SSLException e) {
            throw unreachable("TLS failed (" + e.getMessage() + "); give the server's CA with --ca-file");
        } catch (IOException e) {
            throw unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
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
