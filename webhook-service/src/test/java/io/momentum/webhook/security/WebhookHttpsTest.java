package io.momentum.webhook.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.HttpsServiceTest;
import io.momentum.testing.HttpsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * webhook-service over HTTPS only, with a real certificate, and its API's roles: a reader token reads, and only the
 * deployer token changes anything.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(value = HttpsTestResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "momentum.api.tokens.dashboard.secret", value = WebhookHttpsTest.READER),
        @ResourceArg(name = "momentum.api.tokens.dashboard.role", value = "reader")})
class WebhookHttpsTest extends HttpsServiceTest {

    static final String READER = "reader-test-token";

    @Override
    protected String readPath() {
        return "/api/v1/environments";
    }

    @Override
    protected String readerToken() {
        return READER;
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(https.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return https.trustingClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReaderTokenReadsButCannotDeploy() throws Exception {
        // Everything the console and the command line read.
        for (String path : List.of("/api/v1/environments", "/api/v1/masters", "/api/v1/load-balancers",
                "/api/v1/deploys")) {
            assertThat(send("GET", path, READER, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(send("GET", "/api/v1/deploys/" + UUID.randomUUID(), READER, null).statusCode()).isEqualTo(404);
        HttpResponse<String> deploy = send("POST", "/api/v1/deploys", READER, "{\"all\": true}");
        assertThat(deploy.statusCode()).isEqualTo(403);
        assertThat(deploy.body()).contains("deployer role");
        assertThat(send("POST", "/api/v1/environments/production/rollback", READER, null).statusCode())
                .isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/environments/production/pin", READER, null).statusCode())
                .isEqualTo(403);
        // The deployer token of momentum.api.token reads too.
        assertThat(send("GET", "/api/v1/environments", "api-test-token", null).statusCode()).isEqualTo(200);
    }
}
