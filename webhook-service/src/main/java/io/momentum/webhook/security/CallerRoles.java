package io.momentum.webhook.security;

import io.momentum.service.security.ApiTokens;
import io.momentum.webhook.provider.SignatureVerifier;
import java.util.Optional;
import java.util.Set;

/**
 * Who may deliver webhooks while webhook authentication is configured ({@code momentum.webhook.auth.*}): a basic
 * username and password, or a bearer token, each giving the {@value #WEBHOOK} role. The bearer token joins the
 * API's tokens ({@link #withBearerToken}), so one constant-time comparison covers every token; the API's own roles
 * are service-support's {@code ApiRoles}. Every secret is compared in constant time.
 */
public final class CallerRoles {

    /** May deliver webhooks while webhook authentication is configured. */
    public static final String WEBHOOK = "webhook";
    /** The name of the webhook's bearer token among the API tokens. */
    static final String WEBHOOK_TOKEN = "webhook";

    private final Optional<String> webhookUsername;
    private final Optional<String> webhookPassword;
    private final Optional<String> webhookToken;

    public CallerRoles(Optional<String> webhookUsername, Optional<String> webhookPassword,
            Optional<String> webhookToken) {
        this.webhookUsername = webhookUsername.filter(s -> !s.isEmpty());
        this.webhookPassword = webhookPassword.filter(s -> !s.isEmpty());
        this.webhookToken = webhookToken.filter(s -> !s.isEmpty());
    }

    /** Without a webhook password or token the webhook endpoints are open (their signatures still count). */
    public boolean webhookAuthRequired() {
        return webhookPassword.isPresent() || webhookToken.isPresent();
    }

    /** The API's tokens plus the webhook's bearer token (role {@value #WEBHOOK} only), when one is set. */
    public ApiTokens withBearerToken(ApiTokens apiTokens) {
        return webhookToken.map(token -> apiTokens.with(new ApiTokens.Token(WEBHOOK_TOKEN, token, Set.of(WEBHOOK))))
                .orElse(apiTokens);
    }

    /** {@value #WEBHOOK} for the configured username and password, else nothing. */
    public Set<String> of(Credentials.Basic basic) {
        if (webhookPassword.isEmpty()) {
            return Set.of();
        }
        boolean userOk = SignatureVerifier.sameSecret(basic.username(), webhookUsername.orElse(""));
        boolean passwordOk = SignatureVerifier.sameSecret(basic.password(), webhookPassword.get());
        return userOk & passwordOk ? Set.of(WEBHOOK) : Set.of();
    }
}
