package io.momentum.webhook.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpAuthTest {

    private static Optional<String> basic(String user, String password) {
        return Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withoutConfigurationEverythingPasses() {
        assertThat(new HttpAuth(Optional.empty(), Optional.empty(), Optional.empty()).permits(Optional.empty()))
                .isTrue();
    }

    @Test
    void basicAndBearerAreChecked() {
        HttpAuth auth = new HttpAuth(Optional.of("puppet"), Optional.of("s3cret"), Optional.of("tok"));
        assertThat(auth.permits(basic("puppet", "s3cret"))).isTrue();
        assertThat(auth.permits(basic("puppet", "wrong"))).isFalse();
        assertThat(auth.permits(basic("other", "s3cret"))).isFalse();
        assertThat(auth.permits(Optional.of("Bearer tok"))).isTrue();
        assertThat(auth.permits(Optional.of("Bearer tok2"))).isFalse();
        assertThat(auth.permits(Optional.of("Basic %%%"))).isFalse();
        assertThat(auth.permits(Optional.empty())).isFalse();
    }
}
