package io.momentum.shared.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvironmentNamesTest {

    static Stream<Arguments> mappedBranches() {
        return Stream.of(
                Arguments.of("production", null, "production"),
                Arguments.of("feature/a-b.c", null, "feature_a_b_c"),
                Arguments.of("x;rm -rf /", null, "x_rm__rf__"),
                Arguments.of("$(id)", null, "__id_"),
                Arguments.of("../../etc", null, "______etc"),
                Arguments.of("-leading-dash", null, "_leading_dash"),
                Arguments.of("héllo/wörld", null, "h_llo_w_rld"),
                Arguments.of("emoji\uD83D\uDE00", null, "emoji_"),
                Arguments.of("Feature_X", null, "Feature_X"),
                Arguments.of("dev", "app1", "app1_dev"),
                Arguments.of("feature/x", "team-a", "team_a_feature_x"),
                Arguments.of("master", "legacy", "legacy_master"));
    }

    @ParameterizedTest(name = "{0} (prefix {1}) -> {2}")
    @MethodSource("mappedBranches")
    void mapsBranchesLikeR10k(String branch, String prefix, String expected) {
        assertThat(EnvironmentNames.fromBranch(branch, prefix)).isEqualTo(expected);
    }

    static Stream<Arguments> rejectedBranches() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("___", "only underscores"),
                Arguments.of("../..", "only underscores"),
                Arguments.of("/", "only underscores"),
                Arguments.of("\u00e9\u00e8", "only underscores"),
                Arguments.of("a".repeat(300), "longer than 255"),
                Arguments.of("master", "reserved"),
                Arguments.of("main", "reserved"));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @MethodSource("rejectedBranches")
    void refusesBranchesWithoutSafeEnvironment(String branch, String reason) {
        assertThatThrownBy(() -> EnvironmentNames.fromBranch(branch))
                .isInstanceOf(InvalidNameException.class)
                .hasMessageContaining(reason.equals("only underscores") ? "not only underscores"
                        : reason.equals("reserved") ? "reserved by Puppet" : reason);
    }

    @Test
    void nullBranchIsRefused() {
        assertThatThrownBy(() -> EnvironmentNames.fromBranch(null)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void requireValidRefusesWhatMappingWouldHaveCorrected() {
        assertThat(EnvironmentNames.isValid("feature_x")).isTrue();
        assertThat(EnvironmentNames.isValid("feature-x")).isFalse();
        assertThat(EnvironmentNames.isValid("..")).isFalse();
        assertThat(EnvironmentNames.isValid("a/b")).isFalse();
        assertThat(EnvironmentNames.isValid("a\nb")).isFalse();
    }

    @Test
    void errorMessagesKeepControlCharactersOutOfLogs() {
        assertThatThrownBy(() -> EnvironmentNames.requireValid("bad\nname"))
                .hasMessageNotContaining("\n")
                .hasMessageContaining("bad?name");
    }

    @Test
    void resolveInsideKeepsPathsUnderTheBaseDirectory(@org.junit.jupiter.api.io.TempDir Path base) {
        assertThat(EnvironmentNames.resolveInside(base, "production")).isEqualTo(base.resolve("production"));
        assertThatThrownBy(() -> EnvironmentNames.resolveInside(base, "../etc"))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> EnvironmentNames.resolveInside(base, "a/b"))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> EnvironmentNames.resolveInside(base, "/etc"))
                .isInstanceOf(InvalidNameException.class);
    }

    @Test
    void moduleNamesFollowPuppetRules() {
        assertThat(EnvironmentNames.requireValidModule("stdlib")).isEqualTo("stdlib");
        assertThatThrownBy(() -> EnvironmentNames.requireValidModule("../x")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> EnvironmentNames.requireValidModule("Stdlib")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> EnvironmentNames.requireValidModule(null)).isInstanceOf(InvalidNameException.class);
    }
}
