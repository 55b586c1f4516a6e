package io.momentum.webhook.security;

import io.momentum.webhook.provider.SignatureVerifier;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles a caller's credentials give: {@value #DEPLOYER} for the deploy API's bearer token
 * ({@code momentum.api.token}), {@value #WEBHOOK} for the optional webhook basic or bearer authentication
 * ({@code momentum.webhook.auth.*}). Every secret is compared in constant time, and every configured secret is
 * compared, so timing tells neither which one matched nor their length.
 */
public final class CallerRoles {

    /** May call the deploy and status API ({@code /api/v1}). */
    public static final String DEPLOYER = "deployer";
    /** May deliver webhooks while webhook authentication is configured. */
    public static final String WEBHOOK = "webhook";

    private final Optional<String> apiToken;
    private final Optional<String> webhookUsername;
    private final Optional<String> webhookPassword;
    private final Optional<String> webhookToken;

    public CallerRoles(Optional<String> apiToken, Optional<String> webhookUsername, Optional<String> webhookPassword,
            Optional<String> webhookToken) {
        this.apiToken = apiToken.filter(s -> !s.isEmpty());
        this.webhookUsername = webhookUsername.filter(s -> !s.isEmpty());
        this.webhookPassword = webhookPassword.filter(s -> !s.isEmpty());
        this.webhookToken = webhookToken.filter(s -> !s.isEmpty());
    }

    /** Without {@code momentum.api.token} nobody is a deployer: the API refuses every call. */
    public boolean apiEnabled() {
        return apiToken.isPresent();
    }

    /** Without a webhook password or token the webhook endpoints are open (their signatures still count). */
    public boolean webhookAuthRequired() {
        return webhookPassword.isPresent() || webhookToken.isPresent();
    }

    /** Empty when the credentials match no configured secret. */
    public Set<String> of(Credentials credentials) {
        Set<String> roles = new LinkedHashSet<>();
        if (credentials instanceof Credentials.Bearer bearer) {
            if (matches(bearer.token(), apiToken)) {
                roles.add(DEPLOYER);
            }
            if (matches(bearer.token(), webhookToken)) {
                roles.add(WEBHOOK);
            }
        } else if (credentials instanceof Credentials.Basic basic && webhookPassword.isPresent()) {
            boolean userOk = SignatureVerifier.sameSecret(basic.username(), webhookUsername.orElse(""));
            boolean passwordOk = SignatureVerifier.sameSecret(basic.password(), webhookPassword.get());
            if (userOk & passwordOk) {
                roles.add(WEBHOOK);
            }
        }
        return roles;
    }

    private static boolean matches(String given, Optional<String> expected) {
        return expected.isPresent() && SignatureVerifier.sameSecret(given, expected.get());
    }
}
