package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.env.InvalidNameException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SourceRuleTest {

    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    private static RefChange branch(String name) {
        return RefChange.of("refs/heads/" + name, SHA, false);
    }

    @Test
    void branchesMapTheWayR10kDoes() {
        SourceRule rule = SourceRule.everyRepository();
        assertThat(rule.map(branch("production"))).isEqualTo(new SourceRule.Mapping.Deploy("production", "production"));
        assertThat(rule.map(branch("feature/new-thing")))
                .isEqualTo(new SourceRule.Mapping.Deploy("feature_new_thing", "feature/new-thing"));
        assertThat(rule.map(branch("héllo"))).isEqualTo(new SourceRule.Mapping.Deploy("h_llo", "héllo"));
    }

    @Test
    void hostileBranchNamesAreCorrectedOrRefused() {
        SourceRule rule = SourceRule.everyRepository();
        assertThat(rule.map(branch("x;rm -rf /"))).isEqualTo(new SourceRule.Mapping.Deploy("x_rm__rf__", "x;rm -rf /"));
        assertThat(rule.map(branch("../../etc"))).isEqualTo(new SourceRule.Mapping.Deploy("______etc", "../../etc"));
        assertThatThrownBy(() -> rule.map(branch("..."))).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> rule.map(branch("master"))).isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> rule.map(branch("a".repeat(300)))).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void prefixAllowAndIgnore() {
        SourceRule rule = new SourceRule("hiera", Optional.of("puppet/hiera"), Optional.empty(),
                SourceRule.prefixFor("hiera", Optional.of("true")), List.of(Pattern.compile("prod.*|feature/.*")),
                List.of(Pattern.compile("feature/wip-.*")), false);
        assertThat(rule.map(branch("production"))).isEqualTo(new SourceRule.Mapping.Deploy("hiera_production",
                "production"));
        assertThat(rule.map(branch("feature/wip-x"))).isInstanceOf(SourceRule.Mapping.Skip.class);
        assertThat(rule.map(branch("testing"))).isInstanceOf(SourceRule.Mapping.Skip.class);
        assertThat(SourceRule.prefixFor("s", Optional.of("false"))).isNull();
        assertThat(SourceRule.prefixFor("s", Optional.of("dc1"))).isEqualTo("dc1");
    }

    @Test
    void tagsDeployOnlyWhenConfigured() {
        RefChange tag = RefChange.of("refs/tags/v1", SHA, false);
        assertThat(SourceRule.everyRepository().map(tag)).isInstanceOf(SourceRule.Mapping.Skip.class);
        SourceRule tags = new SourceRule("p", Optional.empty(), Optional.empty(), null, List.of(), List.of(), true);
        assertThat(tags.map(tag)).isEqualTo(new SourceRule.Mapping.Deploy("v1", "v1"));
        assertThat(tags.map(RefChange.of("refs/pull/1/head", SHA, false))).isInstanceOf(SourceRule.Mapping.Skip.class);
    }

    @Test
    void sourceMatchesByFullNameOrRemote() {
        RepositoryRef repo = new RepositoryRef("Puppet/Control", "Control", "https://git.example.net/puppet/control.git",
                List.of("https://git.example.net/puppet/control.git", "git@git.example.net:puppet/control.git"));
        assertThat(rule(Optional.of("puppet/control"), Optional.empty()).matches(repo)).isTrue();
        assertThat(rule(Optional.empty(), Optional.of("https://git.example.net/puppet/control/")).matches(repo)).isTrue();
        assertThat(rule(Optional.empty(), Optional.of("git@git.example.net:puppet/control")).matches(repo)).isTrue();
        assertThat(rule(Optional.of("puppet/other"), Optional.empty()).matches(repo)).isFalse();
    }

    private static SourceRule rule(Optional<String> repository, Optional<String> remote) {
        return new SourceRule("p", repository, remote, null, List.of(), List.of(), false);
    }
}
