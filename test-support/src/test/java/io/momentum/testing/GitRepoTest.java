package io.momentum.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRepoTest {

    @TempDir
    Path tmp;

    @Test
    void commitsAreCloneableWithNestedDirectories() throws Exception {
        try (GitRepo repo = GitRepo.createBare(tmp.resolve("control.git"))) {
            String first = repo.commit("production", Map.of(
                    "Puppetfile", "mod 'stdlib'\n",
                    "manifests/site.pp", "node default {}\n",
                    "manifests/a.b/x.pp", "",
                    "manifests.txt", "x"));
            String second = repo.amend("production", Map.of("environment.conf", "modulepath = modules\n"));

            assertThat(second).isNotEqualTo(first).hasSize(40);
            assertThat(repo.head("production")).isEqualTo(second);
            assertThat(repo.files("production")).containsKeys("Puppetfile", "manifests/site.pp", "environment.conf");

            Path clone = tmp.resolve("clone");
            try (Git git = Git.cloneRepository().setURI(repo.url()).setDirectory(clone.toFile())
                    .setBranch("production").call()) {
                assertThat(clone.resolve("manifests/site.pp")).hasContent("node default {}");
                assertThat(git.log().call()).hasSize(2);
            }

            repo.deleteBranch("production");
            assertThat(repo.head("production")).isNull();
        }
    }
}
