package io.momentum.webhook.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** What a webhook caller presents in its {@code Authorization} header. Never printed: the values are secrets. */
public sealed interface Credentials {

    /** {@code Authorization: Basic base64(<username>:<password>)}. */
    record Basic(String username, String password) implements Credentials {
        @Override
        public String toString() {
            return "Basic[" + username + ":***]";
        }
    }

    /**
     * The basic credentials of an {@code Authorization} header; empty without the header or for another scheme
     * (a bearer token is service-support's {@code BearerTokenMechanism}'s).
     *
     * @throws IllegalArgumentException for a Basic header that is no base64 of {@code user:password}
     */
    static Optional<Basic> parse(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("basic credentials have no user:password");
        }
        return Optional.of(new Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
