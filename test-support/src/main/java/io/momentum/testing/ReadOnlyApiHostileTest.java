package io.momentum.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP against a read-only API ({@code GET}s under {@code /api/v1}, nothing an HTTP call can publish):
 * oversized headers and bodies, a trickled body, wrong methods and content types, deeply nested JSON, control,
 * bidi and traversal characters in path parameters. Each gets a 4xx, and the service stays healthy. A service's
 * test extends it as a {@code @QuarkusTest} with {@link EmbeddedKafkaResource}.
 */
public abstract class ReadOnlyApiHostileTest {

    /** The API's collection paths, e.g. {@code /api/v1/masters}. */
    protected abstract List<String> collections();

    /** The collections that also take {@code /{id}}. */
    protected abstract List<String> itemCollections();

    /** A token with the reader role in the test configuration. */
    protected abstract String readerToken();

    private static final List<String> HOSTILE_IDS = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%00b", "a%0Ab",
            "%E2%80%AEa", "%1B%5B31m", "caf%C3%A9", "x".repeat(2000));

    @Test
    void everyCallWithoutAValidTokenIs401WithAJsonError() {
        for (String path : collections()) {
            given().get(path).then().statusCode(401).contentType("application/json")
                    .body("error", equalTo("a valid bearer token is required"));
            given().auth().oauth2("not-a-token").get(path).then().statusCode(401)
                    .contentType("application/json");
        }
    }

    @Test
    void oversizedHeadersAre431() {
        for (String path : collections()) {
            assertThat(HostileHttp.oversizedHeader(RestAssured.port, "GET", path, 64 * 1024).status()).as(path)
                    .isEqualTo(431);
        }
    }

    @Test
    void bodiesAreRefused() {
        byte[] big = new byte[1024 * 1024];
        java.util.Arrays.fill(big, (byte) '[');
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        for (String path : collections()) {
            // On a raw socket: the server answers 413 on the announced length and closes, which an HTTP client
            // still writing the body sees as a broken pipe instead of the answer.
            HostileHttp.Answer oversized = HostileHttp.slowBody(RestAssured.port, "POST", path,
                    "Content-Type: application/json\r\nAuthorization: Bearer " + readerToken() + "\r\n", big,
                    Duration.ofMillis(50), Duration.ofSeconds(30));
            assertThat(oversized.status()).as(oversized.toString()).isEqualTo(413);
            for (String type : List.of("application/json", "text/plain", "application/xml")) {
                given().auth().oauth2(readerToken()).contentType(type).body(deep).post(path).then()
                        .statusCode(405);
            }
            given().auth().oauth2(readerToken()).contentType("application/json").body(deep).put(path)
                    .then().statusCode(405);
            given().auth().oauth2(readerToken()).delete(path).then().statusCode(405);
        }
    }

    @Test
    void aTrickledBodyGetsA4xxAtOnceOrWithinTheBodyTimeout() {
        byte[] body = "{\"a\": 1, \"padding\": \"........................................\"}"
                .getBytes(StandardCharsets.UTF_8);
        for (String path : collections()) {
            for (String method : List.of("POST", "GET")) {
                HostileHttp.Answer answer = HostileHttp.slowBody(RestAssured.port, method, path,
                        "Content-Type: application/json\r\nAuthorization: Bearer " + readerToken() + "\r\n", body,
                        Duration.ofMillis(200), Duration.ofSeconds(60));
                assertThat(answer.took()).as(method + " " + path).isLessThan(Duration.ofSeconds(30));
                assertThat(answer.status()).as(method + " " + path + ": " + answer.raw()).isBetween(200, 499);
            }
        }
    }

    @Test
    void anAnswerOtherThanJsonIs406() {
        for (String path : collections()) {
            given().auth().oauth2(readerToken()).accept("application/xml").get(path).then().statusCode(406);
        }
    }

    @Test
    void hostileIdsAreNotFound() {
        for (String path : itemCollections()) {
            for (String id : HOSTILE_IDS) {
                given().auth().oauth2(readerToken()).urlEncodingEnabled(false).get(path + "/" + id).then()
                        .statusCode(anyOf(equalTo(400), equalTo(404)));
            }
        }
        for (String path : collections()) {
            given().auth().oauth2(readerToken()).urlEncodingEnabled(false).get(path + "/../../../etc/passwd").then()
                    .statusCode(anyOf(equalTo(400), equalTo(404)));
        }
        given().get("/q/health/live").then().statusCode(200);
    }
}
