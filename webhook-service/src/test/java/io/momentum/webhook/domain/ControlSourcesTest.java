package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import io.momentum.shared.source.Source.Decision;
import io.momentum.shared.source.Source.InvalidBranches;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How the webhook applies the shared source rules: the cases the former SourceRule had, and the new ones. */
class ControlSourcesTest {

    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    private static final String REMOTE = "https://git.example.net/puppet/control.git";

    private static RefChange branch(String name) {
        return RefChange.of("refs/heads/" + name, SHA, false);
    }

    static Source source(String name, Optional<String> repository, String remote, String prefix, List<String> allow,
            List<String> ignore, boolean deployTags, InvalidBranches invalid, Map<String, String> environments) {
        return new Source(name, remote, repository, prefix, allow.stream().map(Pattern::compile).toList(),
                ignore.stream().map(Pattern::compile).toList(), deployTags, invalid, environments);
    }

    /** Every branch, no prefix, corrected names: what no configuration of the rules means. */
    static Source plain() {
        return source("puppet", Optional.empty(), REMOTE, null, List.of(), List.of(), false,
                InvalidBranches.CORRECT_AND_WARN, Map.of());
    }

    /** Environment and branch of what {@code branch} deploys as, without the correction warning. */
    private static List<String> deployed(String branch) {
        Decision decision = ControlSources.decide(plain(), branch(branch));
        assertThat(decision).isInstanceOf(Decision.Deploy.class);
        Decision.Deploy deploy = (Decision.Deploy) decision;
        return List.of(deploy.environment(), deploy.branch());
    }

    @Test
    void branchesMapTheWayR10kDoes() {
        assertThat(ControlSources.decide(plain(), branch("production")))
                .isEqualTo(new Decision.Deploy("production", "production", Optional.empty()));
        assertThat(deployed("feature/new-thing")).containsExactly("feature_new_thing", "feature/new-thing");
        assertThat(deployed("héllo")).containsExactly("h_llo", "héllo");
    }

    @Test
    void hostileBranchNamesAreCorrectedOrRefused() {
        assertThat(deployed("x;rm$(id)-rf/x")).containsExactly("x_rm__id__rf_x", "x;rm$(id)-rf/x");
        // What git itself refuses (a space, "..", control and invisible formatting characters) did not come from git.
        for (String notFromGit : List.of("x;rm -rf /x", "../../etc", "...", "a\u0000b", "a\nb", "\u202eab",
                "a\u200bb", "a~1", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "a/", "a.lock", "a/.b", "a@{1}")) {
            assertThatThrownBy(() -> ControlSources.decide(plain(), branch(notFromGit))).as(notFromGit)
                    .isInstanceOf(InvalidNameException.class).hasMessageContaining("not a valid git ref name")
                    .hasMessageNotContaining("\n").hasMessageNotContaining("\u0000");
        }
        assertThatThrownBy(() -> ControlSources.decide(plain(), branch("a".repeat(300))))
                .isInstanceOf(InvalidNameException.class);
    }

    @Test
    void puppetsReservedNamesAreSkippedWithTheHintAndDeployWhereMapped() {
        assertThat(ControlSources.decide(plain(), branch("master"))).isInstanceOf(Decision.Skip.class)
                .extracting(d -> ((Decision.Skip) d).reason()).asString()
                .contains("reserved", "momentum.sources.puppet.environments.master=<environment>");
        Source mapped = source("puppet", Optional.empty(), REMOTE, null, List.of(), List.of(), false,
                InvalidBranches.CORRECT_AND_WARN, Map.of("main", "production"));
        assertThat(ControlSources.decide(mapped, branch("main")))
                .isEqualTo(new Decision.Deploy("production", "main", Optional.empty()));
        assertThat(ControlSources.decide(mapped, RefChange.of("refs/heads/main", null, true)))
                .isEqualTo(new Decision.Deploy("production", "main", Optional.empty()));
    }

    @Test
    void prefixAllowAndIgnore() {
        Source rule = source("hiera", Optional.of("puppet/hiera"), REMOTE, Source.prefixFor("hiera", Optional.of("true")),
                List.of("prod.*|feature/.*"), List.of("feature/wip-.*"), false, InvalidBranches.CORRECT, Map.of());
        assertThat(ControlSources.decide(rule, branch("production")))
                .isEqualTo(new Decision.Deploy("hiera_production", "production", Optional.empty()));
        assertThat(ControlSources.decide(rule, branch("feature/wip-x"))).isInstanceOf(Decision.Skip.class);
        assertThat(ControlSources.decide(rule, branch("testing"))).isInstanceOf(Decision.Skip.class);
        assertThat(Source.prefixFor("s", Optional.of("false"))).isNull();
        assertThat(Source.prefixFor("s", Optional.of("dc1"))).isEqualTo("dc1");
    }

    @Test
    void aBranchTheRulesSkipIsSkippedEvenWhenItsNameCouldNeverDeploy() {
        Source ignoring = source("puppet", Optional.empty(), REMOTE, null, List.of(), List.of("a+"), false,
                InvalidBranches.CORRECT, Map.of());
        assertThat(ControlSources.decide(ignoring, branch("a".repeat(300)))).isInstanceOf(Decision.Skip.class)
                .extracting(d -> ((Decision.Skip) d).reason()).asString().contains("ignore pattern");
    }

    @Test
    void invalidBranchesErrorSkipsWithItsReasonAndCorrectAndWarnSaysWhatItCorrected() {
        Source strict = source("puppet", Optional.empty(), REMOTE, null, List.of(), List.of(), false,
                InvalidBranches.ERROR, Map.of());
        assertThat(ControlSources.decide(strict, branch("feature/x"))).isInstanceOf(Decision.Skip.class)
                .extracting(d -> ((Decision.Skip) d).reason()).asString().contains("invalid-branches=error");
        assertThat(ControlSources.decide(plain(), branch("feature/x"))).isEqualTo(new Decision.Deploy("feature_x",
                "feature/x", Optional.of("branch feature/x deploys as environment feature_x")));
    }

    @Test
    void tagsDeployOnlyWhenConfigured() {
        RefChange tag = RefChange.of("refs/tags/v1", SHA, false);
        assertThat(ControlSources.decide(plain(), tag)).isInstanceOf(Decision.Skip.class);
        Source tags = source("p", Optional.empty(), REMOTE, null, List.of(), List.of(), true, InvalidBranches.CORRECT,
                Map.of());
        assertThat(ControlSources.decide(tags, tag)).isEqualTo(new Decision.Deploy("v1", "v1", Optional.empty()));
        assertThat(ControlSources.decide(tags, RefChange.of("refs/pull/1/head", SHA, false)))
                .isInstanceOf(Decision.Skip.class);
    }

    @Test
    void sourceMatchesByFullNameOrRemote() {
        RepositoryRef repo = new RepositoryRef("Puppet/Control", "Control", "https://git.example.net/puppet/control.git",
                List.of("https://git.example.net/puppet/control.git", "git@git.example.net:puppet/control.git"));
        String elsewhere = "https://elsewhere.example.net/x.git";
        assertThat(ControlSources.matches(matching(Optional.of("puppet/control"), elsewhere), repo)).isTrue();
        assertThat(ControlSources.matches(matching(Optional.empty(), "https://git.example.net/puppet/control/"), repo))
                .isTrue();
        assertThat(ControlSources.matches(matching(Optional.empty(), "git@git.example.net:puppet/control"), repo))
                .isTrue();
        assertThat(ControlSources.matches(matching(Optional.of("puppet/other"), elsewhere), repo)).isFalse();
        assertThat(new ControlSources(List.of(matching(Optional.of("puppet/other"), elsewhere),
                matching(Optional.of("puppet/control"), elsewhere))).forRepository(repo)).isPresent();
    }

    @Test
    void withoutASourceNothingCanBeDeployedSoItIsRefused() {
        assertThatThrownBy(() -> new ControlSources(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum.sources.<name>.remote");
    }

    @Test
    void aManualDeployRepeatsTheBranchTheRulesDeployThere() {
        Source control = source("control", Optional.empty(), REMOTE, null, List.of(), List.of("wip_.*"), false,
                InvalidBranches.CORRECT_AND_WARN, Map.of("main", "production"));
        Source team = source("team", Optional.empty(), "https://git.example.net/team/control.git", "team",
                List.of(), List.of(), false, InvalidBranches.CORRECT, Map.of());
        ControlSources sources = new ControlSources(List.of(control, team));
        assertThat(sources.originOf("production", Optional.empty()))
                .isEqualTo(new ControlSources.Origin.Branch(control, "main"));
        assertThat(sources.originOf("team_dev", Optional.empty()))
                .isEqualTo(new ControlSources.Origin.Branch(team, "dev"));
        DeployRequest pushed = DeployRequest.environment("feature_x", "feature/x", "control", REMOTE, SHA,
                Provider.GITHUB, Instant.now());
        assertThat(sources.originOf("feature_x", Optional.of(pushed)))
                .isEqualTo(new ControlSources.Origin.Branch(control, "feature/x"));
        assertThat(sources.originOf("wip_x", Optional.empty())).isInstanceOf(ControlSources.Origin.Nowhere.class)
                .extracting(o -> ((ControlSources.Origin.Nowhere) o).reason()).asString()
                .contains("wip_x", "ignore pattern");
    }

    private static Source matching(Optional<String> repository, String remote) {
        return source("p", repository, remote, null, List.of(), List.of(), false, InvalidBranches.CORRECT, Map.of());
    }
}
