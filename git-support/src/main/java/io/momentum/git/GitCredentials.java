package io.momentum.git;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What reaching one remote takes: the SSH identity and user, and the HTTPS user and where its secret is. Paths,
 * never secrets: the files are read when a connection needs them, so a rotated token is picked up.
 */
public record GitCredentials(Optional<Path> privateKey, Optional<Path> passphraseFile, Optional<String> sshUser,
        Optional<String> httpsUser, Optional<Path> httpsSecretFile) {

    public static final String TOKEN_USER = "x-access-token";

    public static final GitCredentials NONE = new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /** The settings that apply to {@code remote}: the global ones, overridden by the longest matching entry. */
    public static GitCredentials forRemote(GitConfig config, String remote) {
        GitCredentials global = new GitCredentials(config.privateKey(), config.privateKeyPassphraseFile(),
                config.username(), config.httpsUsername(), config.oauthToken().or(config::httpsPasswordFile))
                .withTokenUser(config.oauthToken().isPresent());
        return config.repositories().stream()
                .filter(repository -> remote.startsWith(repository.remote()))
                .max(java.util.Comparator.comparingInt(repository -> repository.remote().length()))
                .map(repository -> new GitCredentials(
                        repository.privateKey().or(global::privateKey),
                        repository.privateKey().isPresent() ? repository.privateKeyPassphraseFile()
                                : repository.privateKeyPassphraseFile().or(global::passphraseFile),
                        repository.username().or(global::sshUser),
                        repository.httpsUsername().or(global::httpsUser),
                        repository.oauthToken().or(repository::httpsPasswordFile).or(global::httpsSecretFile))
                        .withTokenUser(repository.oauthToken().isPresent()))
                .orElse(global);
    }

    private GitCredentials withTokenUser(boolean token) {
        return token && httpsUser.isEmpty()
                ? new GitCredentials(privateKey, passphraseFile, sshUser, Optional.of(TOKEN_USER), httpsSecretFile)
                : this;
    }
}
