package io.momentum.webhook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.service.security.ApiRoles;
import io.momentum.service.security.ApiTokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The header parsing of {@link BasicAuthMechanism}, the webhook's roles, and its bearer token among the API's. */
class CallerRolesTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Roles of a basic header, as the mechanism and the identity provider give them; no header = none. */
    private static Set<String> roles(CallerRoles roles, String header) {
        return Credentials.parse(header).map(roles::of).orElse(Set.of());
    }

    private static final ApiTokens API = new ApiTokens(List.of(
            new ApiTokens.Token("ops", "api", Set.of(ApiRoles.DEPLOYER, ApiRoles.READER))));

    @Test
    void withoutConfigurationWebhooksAreOpen() {
        CallerRoles none = new CallerRoles(Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(none.webhookAuthRequired()).isFalse();
        assertThat(roles(none, basic("", ""))).isEmpty();
        assertThat(none.withBearerToken(API)).isSameAs(API);
    }

    @Test
    void anEmptySecretIsNoSecret() {
        CallerRoles empty = new CallerRoles(Optional.of("puppet"), Optional.of(""), Optional.of(""));
        assertThat(empty.webhookAuthRequired()).isFalse();
        assertThat(roles(empty, basic("puppet", ""))).isEmpty();
    }

    @Test
    void basicAndBearerAreChecked() {
        CallerRoles auth = new CallerRoles(Optional.of("puppet"), Optional.of("s3cret"), Optional.of("tok"));
        assertThat(auth.webhookAuthRequired()).isTrue();
        assertThat(roles(auth, basic("puppet", "s3cret"))).containsExactly(CallerRoles.WEBHOOK);
        assertThat(roles(auth, basic("puppet", "wrong"))).isEmpty();
        assertThat(roles(auth, basic("other", "s3cret"))).isEmpty();
        assertThatThrownBy(() -> Credentials.parse("Basic %%%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Credentials.parse("Basic " + Base64.getEncoder().encodeToString(
                "no-colon".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(roles(auth, "Bearer tok")).isEmpty();
        assertThat(roles(auth, "Digest tok")).isEmpty();
        assertThat(roles(auth, null)).isEmpty();
        ApiTokens tokens = auth.withBearerToken(API);
        assertThat(tokens.caller("tok")).hasValueSatisfying(c -> assertThat(c.roles())
                .containsExactly(CallerRoles.WEBHOOK));
        assertThat(tokens.caller("tok2")).isEmpty();
    }

    @Test
    void theApiTokenAndTheWebhookSecretsGiveDifferentRoles() {
        CallerRoles both = new CallerRoles(Optional.of("puppet"), Optional.of("api"), Optional.of("hook"));
        ApiTokens tokens = both.withBearerToken(API);
        assertThat(tokens.caller("api").orElseThrow().roles()).containsExactlyInAnyOrder(ApiRoles.DEPLOYER,
                ApiRoles.READER);
        assertThat(tokens.caller("hook").orElseThrow().roles()).containsExactly(CallerRoles.WEBHOOK);
        // The webhook password equal to the API token still only opens the webhooks: basic auth is no API access.
        assertThat(roles(both, basic("puppet", "api"))).containsExactly(CallerRoles.WEBHOOK);
        // A webhook bearer token equal to an API token could not be told apart: refused.
        CallerRoles same = new CallerRoles(Optional.empty(), Optional.empty(), Optional.of("api"));
        assertThatThrownBy(() -> same.withBearerToken(API)).hasMessageContaining("same secret");
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(Credentials.parse(basic("puppet", "s3cret")).orElseThrow().toString())
                .doesNotContain("s3cret");
    }
}
