package io.momentum.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens from configuration, their roles, and what a refused caller is told. */
class ApiTokensTest {

    @TempDir
    Path tmp;

    private record Token(Optional<String> secret, Optional<Path> secretFile, String role)
            implements ApiTokensConfig.Token {
    }

    private static ApiTokensConfig config(Optional<String> legacy, Map<String, ApiTokensConfig.Token> tokens) {
        return new ApiTokensConfig() {
            @Override
            public Optional<String> token() {
                return legacy;
            }

            @Override
            public Map<String, Token> tokens() {
                return tokens;
            }
        };
    }

    @Test
    void namedTokensHaveTheirRolesAndTheLegacyTokenIsADeployer() throws Exception {
        Path file = tmp.resolve("ci.token");
        Files.writeString(file, "  from-a-file\n");
        ApiTokens tokens = ApiTokens.from(config(Optional.of("legacy"), Map.of(
                "ci", new Token(Optional.empty(), Optional.of(file), "reader"),
                "ops", new Token(Optional.of("ops-secret"), Optional.empty(), "DEPLOYER"))));
        assertThat(tokens.caller("from-a-file")).hasValue(new ApiTokens.Caller("ci", Set.of(ApiRoles.READER)));
        assertThat(tokens.caller("ops-secret").orElseThrow().roles())
                .containsExactlyInAnyOrder(ApiRoles.READER, ApiRoles.DEPLOYER);
        assertThat(tokens.caller("legacy").orElseThrow().name()).isEqualTo(ApiTokens.LEGACY_NAME);
        assertThat(tokens.caller("legacy").orElseThrow().roles()).contains(ApiRoles.DEPLOYER);
        for (String wrong : List.of("", "from-a-file ", "FROM-A-FILE", "ops-secre", "ops-secrett", "legacy\n")) {
            assertThat(tokens.caller(wrong)).as(wrong).isEmpty();
        }
        assertThat(tokens.toString()).contains("ci [reader]", "ops [deployer, reader]")
                .doesNotContain("from-a-file", "ops-secret", "legacy");
    }

    @Test
    void nothingConfiguredRefusesEverything() {
        ApiTokens none = ApiTokens.from(config(Optional.of(""), Map.of()));
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.caller("")).isEmpty();
        assertThat(ApiRefusals.of(new io.quarkus.security.UnauthorizedException(), none, null).error())
                .contains("no API token is configured");
    }

    @Test
    void brokenTokensFailWithTheKeyAndNeverTheSecret() {
        assertThatThrownBy(() -> ApiTokens.from(config(Optional.empty(), Map.of("ci",
                new Token(Optional.of("s3cret-value"), Optional.of(tmp.resolve("x")), "reader")))))
                .hasMessageContaining("momentum.api.tokens.ci: set exactly one of");
        assertThatThrownBy(() -> ApiTokens.from(config(Optional.empty(), Map.of("ci",
                new Token(Optional.empty(), Optional.of(tmp.resolve("missing")), "reader")))))
                .hasMessageContaining("momentum.api.tokens.ci.secret-file").hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> ApiTokens.from(config(Optional.empty(), Map.of("ci",
                new Token(Optional.of("s3cret-value"), Optional.empty(), "admin")))))
                .hasMessageContaining("unknown role 'admin'").hasMessageNotContaining("s3cret-value");
        assertThatThrownBy(() -> ApiTokens.from(config(Optional.of("same-secret"), Map.of("ci",
                new Token(Optional.of("same-secret"), Optional.empty(), "reader")))))
                .hasMessageContaining("'api' and 'ci' have the same secret");
    }
}
