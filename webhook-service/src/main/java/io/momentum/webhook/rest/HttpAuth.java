package io.momentum.webhook.rest;

import io.momentum.webhook.provider.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Optional HTTP authentication in front of an endpoint: basic (user and password) and/or a bearer token.
 * With neither configured every request passes.
 */
public final class HttpAuth {

    private final Optional<String> username;
    private final Optional<String> password;
    private final Optional<String> bearerToken;

    public HttpAuth(Optional<String> username, Optional<String> password, Optional<String> bearerToken) {
        this.username = username.filter(s -> !s.isEmpty());
        this.password = password.filter(s -> !s.isEmpty());
        this.bearerToken = bearerToken.filter(s -> !s.isEmpty());
    }

    public static HttpAuth bearer(Optional<String> token) {
        return new HttpAuth(Optional.empty(), Optional.empty(), token);
    }

    public boolean enabled() {
        return password.isPresent() || bearerToken.isPresent();
    }

    public boolean permits(Optional<String> authorization) {
        if (!enabled()) {
            return true;
        }
        String header = authorization.orElse("");
        if (bearerToken.isPresent() && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return SignatureVerifier.sameSecret(header.substring(7).trim(), bearerToken.get());
        }
        if (password.isPresent() && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return false;
            }
            boolean userOk = SignatureVerifier.sameSecret(decoded.substring(0, colon), username.orElse(""));
            boolean passwordOk = SignatureVerifier.sameSecret(decoded.substring(colon + 1), password.get());
            return userOk & passwordOk;
        }
        return false;
    }
}
