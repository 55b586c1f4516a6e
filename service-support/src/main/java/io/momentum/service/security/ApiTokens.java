package io.momentum.service.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The configured bearer tokens and the roles each gives. A presented token is compared with every configured one,
 * over SHA-256 digests with {@link MessageDigest#isEqual}, so timing tells neither which token matched, nor how
 * long any is, nor how much of it was right. Nothing here prints a secret.
 */
public final class ApiTokens {

    /** The name of the token set with {@code momentum.api.token}. */
    public static final String LEGACY_NAME = "api";

    /** One configured token; its secret never leaves this class. */
    public record Token(String name, String secret, Set<String> roles) {

        public Token {
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("API token '" + name + "' has an empty secret");
            }
            roles = Set.copyOf(roles);
        }

        @Override
        public String toString() {
            return name + " " + new java.util.TreeSet<>(roles);
        }
    }

    /** Who called: the token's name (never its secret) and its roles. */
    public record Caller(String name, Set<String> roles) {
    }

    private record Entry(String name, byte[] digest, Set<String> roles) {
    }

    private final List<Entry> entries;

    /** @throws IllegalArgumentException when two tokens share a secret (a caller could not be told apart) */
    public ApiTokens(List<Token> tokens) {
        this.entries = added(List.of(), tokens);
    }

    /**
     * The tokens of {@code momentum.api.*}: {@code token} as a deployer named {@value #LEGACY_NAME}, and every
     * {@code tokens.<name>} with its role. An empty {@code token} counts as unset.
     *
     * @throws IllegalStateException naming the key when a token is incomplete, ambiguous or unreadable
     */
    public static ApiTokens from(ApiTokensConfig config) {
        List<Token> tokens = new ArrayList<>();
        config.token().filter(s -> !s.isBlank())
                .ifPresent(secret -> tokens.add(new Token(LEGACY_NAME, secret, ApiRoles.granted(ApiRoles.DEPLOYER))));
        for (Map.Entry<String, ApiTokensConfig.Token> named : new TreeMap<>(config.tokens()).entrySet()) {
            String key = "momentum.api.tokens." + named.getKey();
            ApiTokensConfig.Token token = named.getValue();
            if (token.secret().isPresent() == token.secretFile().isPresent()) {
                throw new IllegalStateException(key + ": set exactly one of " + key + ".secret and " + key
                        + ".secret-file");
            }
            String secret = token.secret().orElseGet(() -> {
                try {
                    return Files.readString(token.secretFile().get(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalStateException(key + ".secret-file " + token.secretFile().get()
                            + " cannot be read: " + e.getClass().getSimpleName());
                }
            });
            try {
                tokens.add(new Token(named.getKey(), secret, ApiRoles.granted(token.role())));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(key + ": " + e.getMessage());
            }
        }
        try {
            return new ApiTokens(tokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /**
     * This set plus {@code token}: a service adds a token of its own (the webhook's bearer token).
     *
     * @throws IllegalArgumentException when its secret is already the secret of another token
     */
    public ApiTokens with(Token token) {
        ApiTokens more = new ApiTokens(List.of());
        more.entries.addAll(added(entries, List.of(token)));
        return more;
    }

    private static List<Entry> added(List<Entry> existing, List<Token> tokens) {
        List<Entry> list = new ArrayList<>(existing);
        for (Token token : tokens) {
            byte[] digest = sha256(token.secret());
            for (Entry other : list) {
                if (MessageDigest.isEqual(other.digest(), digest)) {
                    throw new IllegalArgumentException("API tokens '" + other.name() + "' and '" + token.name()
                            + "' have the same secret: give each its own");
                }
            }
            list.add(new Entry(token.name(), digest, token.roles()));
        }
        return list;
    }

    /** The caller whose token this is, or empty; every configured token is compared, whatever matched first. */
    public Optional<Caller> caller(String presented) {
        byte[] digest = sha256(presented);
        Entry match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) & match == null) {
                match = entry;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new Caller(match.name(), match.roles()));
    }

    /** No token at all: nobody can authenticate, the API refuses every call. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether any token gives {@code role}. */
    public boolean grants(String role) {
        return entries.stream().anyMatch(entry -> entry.roles().contains(role));
    }

    /** Names and roles, for the start-up log: {@code ci [reader], ops [deployer, reader]}. */
    @Override
    public String toString() {
        return entries.stream().map(e -> e.name() + " " + new java.util.TreeSet<>(e.roles()))
                .collect(Collectors.joining(", "));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
