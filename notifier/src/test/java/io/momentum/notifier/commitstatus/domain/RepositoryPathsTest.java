package io.momentum.notifier.commitstatus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.Provider;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryPathsTest {

    @ParameterizedTest
    @CsvSource({
            "github, https://github.com/puppet/control.git, puppet/control",
            "github, git@github.com:puppet/control.git, puppet/control",
            "github, ssh://git@github.com/puppet/control, puppet/control",
            "github, https://token@ghe.example.net/puppet/control/, puppet/control",
            "gitlab, https://gitlab.com/infra/puppet/control.git, infra/puppet/control",
            "gitlab, git@gitlab.example.net:infra/control.git, infra/control",
            "gitea, ssh://git@codeberg.org:2222/puppet/control.git, puppet/control",
            "bitbucket, git@bitbucket.org:acme/control.git, acme/control",
            "bitbucket-server, https://bitbucket.example.net/scm/PUP/control.git, PUP/control",
            "bitbucket-server, ssh://git@bitbucket.example.net:7999/PUP/control.git, PUP/control",
            "bitbucket-server, https://bitbucket.example.net/projects/PUP/repos/control/browse, PUP/control",
            "azure-devops, https://acme@dev.azure.com/acme/Puppet/_git/control, acme/Puppet/control",
            "azure-devops, git@ssh.dev.azure.com:v3/acme/Puppet/control, acme/Puppet/control",
            "azure-devops, https://acme.visualstudio.com/Puppet/_git/control, acme/Puppet/control"})
    void readsTheApiPathFromTheCloneUrl(String provider, String url, String path) {
        assertThat(RepositoryPaths.of(Provider.fromId(provider).orElseThrow(), url)).contains(path);
    }

    @Test
    void aUrlWithoutAUsablePathHasNone() {
        assertThat(RepositoryPaths.of(Provider.GITHUB, "https://github.com/control.git")).isEqualTo(Optional.empty());
        assertThat(RepositoryPaths.of(Provider.GITHUB, "/srv/git/puppet/control.git")).isEmpty();
        assertThat(RepositoryPaths.of(Provider.AZURE_DEVOPS, "https://dev.azure.com/acme/control")).isEmpty();
        assertThat(RepositoryPaths.of(Provider.GITHUB, "https://github.com/a b/c")).isEmpty();
    }
}
