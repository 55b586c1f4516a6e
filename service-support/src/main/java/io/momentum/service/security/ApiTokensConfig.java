package io.momentum.service.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens of a service's API ({@code /api/v1}). None configured = the API refuses every call (401).
 * Secrets are read from files ({@code secret-file}) so that they stay off command lines and out of unit files.
 */
@ConfigMapping(prefix = "momentum.api")
public interface ApiTokensConfig {

    /** A deployer token, named {@value ApiTokens#LEGACY_NAME} (the single token of earlier versions). */
    Optional<String> token();

    /** Named tokens: {@code momentum.api.tokens.<name>.secret} or {@code .secret-file}, and {@code .role}. */
    Map<String, Token> tokens();

    interface Token {

        /** The secret itself; prefer {@link #secretFile()}. */
        Optional<String> secret();

        /** A file holding the secret (surrounding whitespace and the final newline are ignored). */
        Optional<Path> secretFile();

        /** {@value ApiRoles#READER} or {@value ApiRoles#DEPLOYER}. */
        @WithDefault(ApiRoles.READER)
        String role();
    }
}
