package io.momentum.webhook.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final byte[] BODY = "{\"zen\":\"Design for failure.\"}".getBytes(StandardCharsets.UTF_8);
    private static final SignatureScheme GITHUB = new SignatureScheme.HmacSha256("X-Hub-Signature-256", "sha256=");

    @Test
    void hmacOverTheRawBytesMatchesGitHubsExample() {
        // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
        byte[] hello = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(SignatureVerifier.sign("It's a Secret to Everybody", hello)).isEqualTo(expected);
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Hub-Signature-256", "sha256=" + expected), hello,
                "It's a Secret to Everybody")).isTrue();
    }

    @Test
    void aMacKeptPerThreadAndSecretSignsEveryBodyAfresh() throws Exception {
        // More secrets than a thread keeps Macs for, each used twice, interleaved with other bodies.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                String secret = "secret-" + i;
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                assertThat(SignatureVerifier.sign(secret, body)).isEqualTo(freshHmac(secret, body));
                assertThat(SignatureVerifier.sign(secret, BODY)).isEqualTo(freshHmac(secret, BODY));
            }
        }
    }

    private static String freshHmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void wrongMissingOrMalformedSignaturesFail() {
        String good = "sha256=" + SignatureVerifier.sign("s3cret", BODY);
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Hub-Signature-256", good), BODY, "s3cret")).isTrue();
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Hub-Signature-256", good), BODY, "other")).isFalse();
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Other", good), BODY, "s3cret")).isFalse();
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Hub-Signature-256", "sha1=" + good.substring(7)),
                BODY, "s3cret")).isFalse();
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Hub-Signature-256", "sha256=zz"), BODY, "s3cret"))
                .isFalse();
        byte[] tampered = "{\"zen\":\"Design for failure!\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(SignatureVerifier.matches(GITHUB, headers("X-Hub-Signature-256", good), tampered, "s3cret"))
                .isFalse();
    }

    @Test
    void giteaSignatureIsBareHexInAnyCase() {
        SignatureScheme gitea = new SignatureScheme.HmacSha256("X-Gitea-Signature", "");
        String hex = SignatureVerifier.sign("s3cret", BODY).toUpperCase();
        assertThat(SignatureVerifier.matches(gitea, headers("X-Gitea-Signature", hex), BODY, "s3cret")).isTrue();
    }

    @Test
    void gitlabTokenIsComparedWhole() {
        SignatureScheme token = new SignatureScheme.Token("X-Gitlab-Token");
        assertThat(SignatureVerifier.matches(token, headers("X-Gitlab-Token", "tok"), BODY, "tok")).isTrue();
        assertThat(SignatureVerifier.matches(token, headers("X-Gitlab-Token", "to"), BODY, "tok")).isFalse();
        assertThat(SignatureVerifier.matches(token, headers("X-Gitlab-Token", "tok2"), BODY, "tok")).isFalse();
    }

    @Test
    void azureBasicPassword() {
        SignatureScheme basic = new SignatureScheme.BasicPassword();
        String auth = "Basic " + Base64.getEncoder().encodeToString("any:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(SignatureVerifier.matches(basic, headers("Authorization", auth), BODY, "pw")).isTrue();
        assertThat(SignatureVerifier.matches(basic, headers("Authorization", auth), BODY, "pw2")).isFalse();
        assertThat(SignatureVerifier.matches(basic, headers("Authorization", "Basic !!"), BODY, "pw")).isFalse();
    }

    private static WebhookHeaders headers(String name, String value) {
        return WebhookHeaders.of(Map.of(name, value));
    }
}
