package io.momentum.webhook.provider;

/** How a provider proves that a delivery comes from the git host that knows the secret. */
public sealed interface SignatureScheme {

    /**
     * Hex HMAC-SHA256 of the raw body in {@code header}, optionally after {@code prefix} (e.g. {@code sha256=}).
     */
    record HmacSha256(String header, String prefix) implements SignatureScheme {
    }

    /** The secret itself travels in {@code header} (GitLab). */
    record Token(String header) implements SignatureScheme {
    }

    /** The secret is the password of HTTP basic authentication (Azure DevOps service hooks). */
    record BasicPassword() implements SignatureScheme {
    }
}
