package io.momentum.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * What every service's HTTPS must do, against the certificate {@link HttpsTestResource} issued: answer a client that
 * trusts only the test CA, fail the handshake of a client that does not, refuse plain HTTP, and still ask the API's
 * callers for a token. A service's test extends it as a {@code @QuarkusTest} with {@link EmbeddedKafkaResource} and
 * {@code @QuarkusTestResource(value = HttpsTestResource.class, restrictToAnnotatedClass = true)}.
 */
public abstract class HttpsServiceTest {

    protected HttpsEndpoint https;

    /** A {@code GET} under {@code /api/v1} that a reader may call. */
    protected abstract String readPath();

    /** A token with the reader role in this test's configuration. */
    protected abstract String readerToken();

    protected HttpResponse<String> get(HttpClient client, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(https.uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAClientThatTrustsOnlyItsCa() throws Exception {
        HttpClient client = https.trustingClient();
        assertThat(get(client, "/q/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get(client, readPath(), null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"error\"");
        assertThat(get(client, readPath(), readerToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
        HttpClient jvmTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> get(jvmTrust, "/q/health/live", null)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpIsRefused() {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", https.plainPort()), 5000);
            }
        }).isInstanceOf(ConnectException.class);
    }
}
