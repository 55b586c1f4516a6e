package io.momentum.shared.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.source.Source.Decision;
import io.momentum.shared.source.Source.InvalidBranches;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SourceTest {

    static Source source(String prefix, List<String> allow, List<String> ignore, InvalidBranches invalid,
            Map<String, String> environments) {
        return new Source("control", "git@git.example.net:puppet/control.git", Optional.of("puppet/control"), prefix,
                allow.stream().map(Pattern::compile).toList(), ignore.stream().map(Pattern::compile).toList(), false,
                invalid, environments);
    }

    static Source plain() {
        return source(null, List.of(), List.of(), InvalidBranches.CORRECT_AND_WARN, Map.of());
    }

    @Test
    void aBranchDeploysAsTheEnvironmentOfTheSameName() {
        assertThat(plain().forBranch("production"))
                .isEqualTo(new Decision.Deploy("production", "production", Optional.empty()));
    }

    @Test
    void invalidCharactersAreCorrectedAndSaidUnlessTheSourceRefusesThem() {
        assertThat(plain().forBranch("feature/x-1")).isEqualTo(new Decision.Deploy("feature_x_1", "feature/x-1",
                Optional.of("branch feature/x-1 deploys as environment feature_x_1")));
        assertThat(source(null, List.of(), List.of(), InvalidBranches.CORRECT, Map.of()).forBranch("feature/x"))
                .isEqualTo(new Decision.Deploy("feature_x", "feature/x", Optional.empty()));
        assertThat(source(null, List.of(), List.of(), InvalidBranches.ERROR, Map.of()).forBranch("feature/x"))
                .isInstanceOf(Decision.Skip.class)
                .extracting(d -> ((Decision.Skip) d).reason()).asString().contains("invalid-branches=error");
    }

    @Test
    void prefixIgnoreAndAllowApply() {
        Source source = source("team", List.of("feature/.*", "production"), List.of("feature/wip.*"),
                InvalidBranches.CORRECT, Map.of());
        assertThat(source.forBranch("production")).isEqualTo(new Decision.Deploy("team_production", "production",
                Optional.empty()));
        assertThat(source.forBranch("feature/wip-1")).isInstanceOf(Decision.Skip.class);
        assertThat(source.forBranch("hotfix")).isInstanceOf(Decision.Skip.class);
        assertThat(source.owns("team_production")).isTrue();
        assertThat(source.owns("production")).isFalse();
    }

    @Test
    void puppetsReservedNamesAreSkippedWithAHintAndDeployWhenMapped() {
        assertThat(plain().forBranch("main")).isInstanceOf(Decision.Skip.class)
                .extracting(d -> ((Decision.Skip) d).reason()).asString()
                .contains("reserved by Puppet", "momentum.sources.control.environments.main=<environment>");
        Source mapped = source(null, List.of(), List.of(), InvalidBranches.CORRECT_AND_WARN,
                Map.of("main", "production"));
        assertThat(mapped.forBranch("main")).isEqualTo(new Decision.Deploy("production", "main", Optional.empty()));
        assertThat(mapped.owns("production")).isTrue();
    }

    @Test
    void aMappedEnvironmentMustBeValid() {
        assertThatThrownBy(() -> source(null, List.of(), List.of(), InvalidBranches.CORRECT,
                Map.of("main", "../etc"))).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void tagsDeployOnlyWhenTurnedOn() {
        assertThat(plain().forTag("v1")).isInstanceOf(Decision.Skip.class);
        Source tags = new Source("control", "r", Optional.empty(), null, List.of(), List.of(), true,
                InvalidBranches.CORRECT, Map.of());
        assertThat(tags.forTag("v1")).isEqualTo(new Decision.Deploy("v1", "v1", Optional.empty()));
    }

    @Test
    void prefixFollowsR10k() {
        assertThat(Source.prefixFor("team", Optional.of("true"))).isEqualTo("team");
        assertThat(Source.prefixFor("team", Optional.of("false"))).isNull();
        assertThat(Source.prefixFor("team", Optional.of("ops"))).isEqualTo("ops");
        assertThat(Source.prefixFor("team", Optional.empty())).isNull();
    }
}
