package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployRequest;
import io.momentum.git.GitAccess;
import io.momentum.git.GitCredentials;
import io.momentum.git.GitTransportSettings;
import io.momentum.shared.event.Provider;
import io.momentum.shared.source.Source;
import io.momentum.shared.source.Source.InvalidBranches;
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
            Source source = ControlSourcesTest.source("puppet", Optional.empty(), repo.url(), null, List.of(),
                    List.of(), false, InvalidBranches.CORRECT_AND_WARN, Map.of());
            Map<String, DeployRequest> desired = Map.of(
                    "production", request("production", production),
                    "testing", request("testing", "6113728f27ae82c7b1a177c8d03f9e96e0adf246"),
                    "gone", request("gone", production));

            Map<String, String> heads = new RemoteHeads(localAccess(dir)).list(repo.url());
            assertThat(heads).containsEntry("refs/heads/production", production);

            List<DeployRequest> plan = PollPlanner.plan(source, heads,
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

    @Test
    void theSourceRulesDecideAndOnlyRequestsTheAgentsAcceptArePlanned() {
        Source source = ControlSourcesTest.source("control", Optional.empty(), "https://git.example.net/c.git", null,
                List.of(), List.of("wip/.*"), false, InvalidBranches.CORRECT_AND_WARN, Map.of("main", "production"));
        String head = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
        Map<String, String> heads = Map.of("refs/heads/main", head, "refs/heads/master", head,
                "refs/heads/wip/x", head, "refs/heads/...", head);
        DeployRequest old = DeployRequest.environment("old", "old", "control", null, head, Provider.GITHUB, NOW);
        List<DeployRequest> plan = PollPlanner.plan(source, heads,
                env -> env.equals("old") ? Optional.of(old) : Optional.empty(), Set.of("old"), NOW);
        assertThat(plan).extracting(DeployRequest::key).containsExactlyInAnyOrder("env:production", "env:old");
        assertThat(plan).filteredOn(r -> r.environment().equals("production")).singleElement().satisfies(r -> {
            assertThat(r.branch()).isEqualTo("main");
            assertThat(r.source()).isEqualTo("control");
            assertThat(r.repositoryUrl()).isEqualTo("https://git.example.net/c.git");
        });
        assertThat(plan).filteredOn(DeployRequest::deleted).extracting(DeployRequest::environment)
                .as("a vanished branch the rules deploy").containsExactly("old");
        Source ignoringOld = ControlSourcesTest.source("control", Optional.empty(), "https://git.example.net/c.git",
                null, List.of(), List.of("old"), false, InvalidBranches.CORRECT, Map.of());
        assertThat(PollPlanner.plan(ignoringOld, Map.of(), env -> Optional.of(old), Set.of("old"), NOW))
                .as("an environment the rules no longer deploy is the agents' to purge").isEmpty();
    }

    /** JGit through git-support's access, as the service uses it; a file:// remote needs no credentials. */
    static GitAccess localAccess(Path dir) {
        return new GitAccess(new GitTransportSettings(dir.resolve("known_hosts"), true, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of()), remote -> GitCredentials.NONE, dir.resolve("ssh"));
    }

    private static DeployRequest request(String environment, String commit) {
        return DeployRequest.environment(environment, environment, "puppet", null, commit, Provider.GITHUB, NOW);
    }
}
