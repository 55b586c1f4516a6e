package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.Provider;
import io.momentum.testing.GitRepo;
import io.momentum.webhook.provider.RemoteHeads;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller's decision over a real bare repository listed with JGit's ls-remote. */
class PollPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void publishesChangedNewAndDeletedBranchesOnly(@TempDir Path dir) {
        try (GitRepo repo = GitRepo.createBare(dir.resolve("control.git"))) {
            String production = repo.commit("production", Map.of("Puppetfile", "mod 'puppetlabs/stdlib'\n"));
            String testing = repo.commit("testing", Map.of("Puppetfile", "# testing\n"));
            repo.commit("feature/new", Map.of("Puppetfile", "# new\n"));
            SourceRule source = new SourceRule("puppet", Optional.empty(), Optional.of(repo.url()), null, List.of(),
                    List.of(), false);
            Map<String, DeployRequest> desired = Map.of(
                    "production", request("production", production),
                    "testing", request("testing", "6113728f27ae82c7b1a177c8d03f9e96e0adf246"),
                    "gone", request("gone", production));

            Map<String, String> heads = RemoteHeads.list(repo.url());
            assertThat(heads).containsEntry("refs/heads/production", production);

            List<DeployRequest> plan = PollPlanner.plan(source, repo.url(), heads,
                    env -> Optional.ofNullable(desired.get(env)), Set.copyOf(desired.keySet()), NOW);
            assertThat(plan).extracting(DeployRequest::key)
                    .containsExactlyInAnyOrder("env:testing", "env:feature_new", "env:gone");
            assertThat(plan).allSatisfy(r -> assertThat(r.provider()).isEqualTo(Provider.POLL));
            assertThat(plan).filteredOn(r -> r.environment().equals("testing"))
                    .singleElement().satisfies(r -> assertThat(r.commit()).isEqualTo(testing));
            assertThat(plan).filteredOn(DeployRequest::deleted).extracting(DeployRequest::environment)
                    .containsExactly("gone");
        }
    }

    private static DeployRequest request(String environment, String commit) {
        return DeployRequest.environment(environment, environment, "puppet", null, commit, Provider.GITHUB, NOW);
    }
}
