package io.momentum.webhook.provider;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Checks a delivery against one secret over the raw body bytes, in constant time. */
public final class SignatureVerifier {

    /**
     * A keyed Mac per thread and secret: looking up the provider and deriving the key pads on every delivery cost
     * as much as the HMAC itself. Deliveries are verified on the event loop, a few threads with a few secrets each;
     * the bound only keeps an unusual caller (many secrets, as in tests) from growing it.
     */
    private static final ThreadLocal<Map<String, Mac>> MACS = ThreadLocal.withInitial(HashMap::new);
    private static final int MACS_PER_THREAD = 32;

    private SignatureVerifier() {
    }

    public static boolean matches(SignatureScheme scheme, WebhookHeaders headers, byte[] rawBody, String secret) {
        if (scheme instanceof SignatureScheme.HmacSha256 hmac) {
            return headers.get(hmac.header())
                    .flatMap(value -> stripPrefix(value, hmac.prefix()))
                    .flatMap(SignatureVerifier::hex)
                    .map(given -> MessageDigest.isEqual(hmacSha256(secret, rawBody), given))
                    .orElse(false);
        }
        if (scheme instanceof SignatureScheme.Token token) {
            return headers.get(token.header()).map(given -> sameSecret(given, secret)).orElse(false);
        }
        return basicPassword(headers).map(given -> sameSecret(given, secret)).orElse(false);
    }

    /** The signature a git host sends for {@code body}: hex HMAC-SHA256. */
    public static String sign(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmacSha256(secret, body));
    }

    /** Compares digests so that neither content nor length of the secret leaks through timing. */
    public static boolean sameSecret(String given, String expected) {
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static Optional<String> stripPrefix(String value, String prefix) {
        if (prefix.isEmpty()) {
            return Optional.of(value);
        }
        return value.toLowerCase(Locale.ROOT).startsWith(prefix)
                ? Optional.of(value.substring(prefix.length()))
                : Optional.empty();
    }

    private static Optional<byte[]> hex(String value) {
        try {
            return Optional.of(HexFormat.of().parseHex(value.trim().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> basicPassword(WebhookHeaders headers) {
        return headers.get("Authorization")
                .filter(value -> value.regionMatches(true, 0, "Basic ", 0, 6))
                .flatMap(value -> {
                    try {
                        String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()),
                                StandardCharsets.UTF_8);
                        int colon = decoded.indexOf(':');
                        return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    private static byte[] hmacSha256(String secret, byte[] body) {
        Map<String, Mac> macs = MACS.get();
        Mac mac = macs.get(secret);
        if (mac == null) {
            if (macs.size() >= MACS_PER_THREAD) {
                macs.clear();
            }
            mac = newMac(secret);
            macs.put(secret, mac);
        }
        // doFinal leaves the Mac initialised with the same key, ready for the next body.
        return mac.doFinal(body);
    }

    private static Mac newMac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
