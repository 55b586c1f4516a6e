package io.momentum.agent.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.source.Source;
import io.momentum.testing.GitRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BranchListerTest {

    @TempDir
    Path tmp;

    @Test
    void mapsBranchesOfEverySourceAndReportsCollisionsAndHostileNames() throws Exception {
        try (GitRepo control = GitRepo.createBare(tmp.resolve("control.git"));
                GitRepo team = GitRepo.createBare(tmp.resolve("team.git"))) {
            String production = control.commit("production", Map.of("Puppetfile", ""));
            control.commit("feature-x", Map.of("Puppetfile", ""));
            control.commit("feature_x", Map.of("Puppetfile", ""));
            control.commit("--", Map.of("Puppetfile", ""));
            String teamDev = team.commit("dev", Map.of("Puppetfile", ""));

            BranchLister.Listing listing = new BranchLister(GitRemotesFixture.plain(tmp), Duration.ofSeconds(30)).list(List.of(
                    TestSources.source("control", control.url(), null),
                    TestSources.source("team", team.url(), "team")));

            assertThat(listing.environments()).containsOnlyKeys("production", "team_dev");
            assertThat(listing.environments().get("production"))
                    .isEqualTo(new EnvironmentTarget("production", "control", control.url(), "production", production));
            assertThat(listing.environments().get("team_dev").commit()).isEqualTo(teamDev);
            assertThat(listing.problems()).anySatisfy(p -> assertThat(p).contains("feature_x")
                    .contains("feature-x"));
            assertThat(listing.contested()).containsExactly("feature_x");
            assertThat(listing.skipped()).anySatisfy(p -> assertThat(p).contains("not only underscores"));
        }
    }

    @Test
    void unreachableRepositoryIsAClearError() {
        assertThatThrownBy(() -> new BranchLister(GitRemotesFixture.plain(tmp), Duration.ofSeconds(30)).branches(
                TestSources.source("control", tmp.resolve("missing.git").toUri().toString(), null)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("cannot list branches of source control");
    }
}
