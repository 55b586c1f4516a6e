package io.momentum.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitCredentialsTest {

    record Repo(String remote, Optional<Path> privateKey, Optional<Path> privateKeyPassphraseFile,
            Optional<String> username, Optional<String> httpsUsername, Optional<Path> httpsPasswordFile,
            Optional<Path> oauthToken) implements GitConfig.Repository {
    }

    record Config(Optional<Path> privateKey, Optional<Path> oauthToken, List<Repository> repositories)
            implements GitConfig {
        public Optional<Path> privateKeyPassphraseFile() {
            return Optional.empty();
        }

        public Optional<String> username() {
            return Optional.of("git");
        }

        public Optional<Path> knownHosts() {
            return Optional.empty();
        }

        public boolean strictHostKeyChecking() {
            return true;
        }

        public Optional<Path> sshAgentSocket() {
            return Optional.empty();
        }

        public Optional<String> httpsUsername() {
            return Optional.empty();
        }

        public Optional<Path> httpsPasswordFile() {
            return Optional.empty();
        }

        public Optional<Path> sslCaFile() {
            return Optional.empty();
        }

        public Optional<String> proxy() {
            return Optional.empty();
        }

        public Optional<List<String>> noProxy() {
            return Optional.empty();
        }

        public Duration sshHandshakeTimeout() {
            return GitTransportSettings.DEFAULT_SSH_HANDSHAKE_TIMEOUT;
        }
    }

    static final Path GLOBAL_KEY = Path.of("/etc/momentum/ssh/id_ed25519");
    static final Path MODULES_KEY = Path.of("/etc/momentum/ssh/modules");
    static final Path ONE_KEY = Path.of("/etc/momentum/ssh/one");
    static final Path TOKEN = Path.of("/etc/momentum/github-token");

    final GitConfig config = new Config(Optional.of(GLOBAL_KEY), Optional.of(TOKEN), List.of(
            new Repo("git@git.example.net:modules/", Optional.of(MODULES_KEY), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty()),
            new Repo("git@git.example.net:modules/one.git", Optional.of(ONE_KEY), Optional.empty(),
                    Optional.of("deploy"), Optional.empty(), Optional.empty(), Optional.empty())));

    @Test
    void globalSettingsApplyWhereNoRepositoryEntryMatches() {
        GitCredentials credentials = GitCredentials.forRemote(config, "git@git.example.net:puppet/control.git");
        assertThat(credentials.privateKey()).contains(GLOBAL_KEY);
        assertThat(credentials.sshUser()).contains("git");
        assertThat(credentials.httpsSecretFile()).contains(TOKEN);
        assertThat(credentials.httpsUser()).contains(GitCredentials.TOKEN_USER);
    }

    @Test
    void theLongestMatchingRepositoryEntryWins() {
        assertThat(GitCredentials.forRemote(config, "git@git.example.net:modules/apache.git").privateKey())
                .contains(MODULES_KEY);
        GitCredentials one = GitCredentials.forRemote(config, "git@git.example.net:modules/one.git");
        assertThat(one.privateKey()).contains(ONE_KEY);
        assertThat(one.sshUser()).contains("deploy");
    }
}
