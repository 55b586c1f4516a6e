package io.momentum.webhook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The header parsing of {@link AuthorizationHeaderMechanism} and the role decision of its identity provider. */
class CallerRolesTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Roles of a request, as the mechanism and the identity provider give them; no header = anonymous = none. */
    private static Set<String> roles(CallerRoles roles, String header) {
        return Credentials.parse(header).map(roles::of).orElse(Set.of());
    }

    @Test
    void withoutConfigurationWebhooksAreOpenAndTheApiIsClosed() {
        CallerRoles none = new CallerRoles(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(none.webhookAuthRequired()).isFalse();
        assertThat(none.apiEnabled()).isFalse();
        assertThat(roles(none, "Bearer ")).isEmpty();
        assertThat(roles(none, basic("", ""))).isEmpty();
    }

    @Test
    void anEmptySecretIsNoSecret() {
        CallerRoles empty = new CallerRoles(Optional.of(""), Optional.of("puppet"), Optional.of(""), Optional.of(""));
        assertThat(empty.apiEnabled()).isFalse();
        assertThat(empty.webhookAuthRequired()).isFalse();
        assertThat(roles(empty, "Bearer ")).isEmpty();
        assertThat(roles(empty, basic("puppet", ""))).isEmpty();
    }

    @Test
    void basicAndBearerAreChecked() {
        CallerRoles auth = new CallerRoles(Optional.empty(), Optional.of("puppet"), Optional.of("s3cret"),
                Optional.of("tok"));
        assertThat(auth.webhookAuthRequired()).isTrue();
        assertThat(roles(auth, basic("puppet", "s3cret"))).containsExactly(CallerRoles.WEBHOOK);
        assertThat(roles(auth, basic("puppet", "wrong"))).isEmpty();
        assertThat(roles(auth, basic("other", "s3cret"))).isEmpty();
        assertThat(roles(auth, "Bearer tok")).containsExactly(CallerRoles.WEBHOOK);
        assertThat(roles(auth, "bearer tok")).containsExactly(CallerRoles.WEBHOOK);
        assertThat(roles(auth, "Bearer tok2")).isEmpty();
        assertThatThrownBy(() -> Credentials.parse("Basic %%%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Credentials.parse("Basic " + Base64.getEncoder().encodeToString(
                "no-colon".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(roles(auth, "Digest tok")).isEmpty();
        assertThat(roles(auth, null)).isEmpty();
    }

    @Test
    void theApiTokenAndTheWebhookSecretsGiveDifferentRoles() {
        CallerRoles both = new CallerRoles(Optional.of("api"), Optional.of("puppet"), Optional.of("api"),
                Optional.of("hook"));
        assertThat(both.apiEnabled()).isTrue();
        assertThat(roles(both, "Bearer api")).containsExactly(CallerRoles.DEPLOYER);
        assertThat(roles(both, "Bearer hook")).containsExactly(CallerRoles.WEBHOOK);
        // The webhook password equal to the API token still only opens the webhooks: basic auth is no API access.
        assertThat(roles(both, basic("puppet", "api"))).containsExactly(CallerRoles.WEBHOOK);
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(Credentials.parse("Bearer tok").orElseThrow().toString()).doesNotContain("tok");
        assertThat(Credentials.parse(basic("puppet", "s3cret")).orElseThrow().toString())
                .doesNotContain("s3cret");
    }
}
