package io.momentum.webhook.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.testing.EmbeddedKafkaResource;
import io.momentum.testing.GitRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The poller's ls-remote as the service wires it: git-support's GitAccess built from momentum.git.*. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RemoteHeadsTest {

    @Inject
    RemoteHeads heads;

    @Test
    void listsTheBranchHeadsOfARemote() throws Exception {
        Path dir = Files.createTempDirectory("remote-heads");
        try (GitRepo repo = GitRepo.createBare(dir.resolve("control.git"))) {
            String production = repo.commit("production", Map.of("Puppetfile", "# production\n"));
            assertThat(heads.list(repo.url())).containsExactly(Map.entry("refs/heads/production", production));
        }
    }

    @Test
    void aRemoteThatCannotBeListedIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> heads.list("https://deploy:s3cret-token@127.0.0.1:1/puppet/control.git"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot list the branches of https://deploy@127.0.0.1:1/puppet/control.git")
                .hasMessageNotContaining("s3cret-token");
    }
}
