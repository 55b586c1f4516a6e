package io.momentum.agent.deployer;

import io.momentum.git.GitAccess;
import io.momentum.git.GitConfig;
import io.momentum.git.GitCredentials;
import io.momentum.git.GitTransportSettings;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;

/** {@link GitRemotes} from {@code momentum.git.*} properties, read by SmallRye Config as the agent reads them. */
public final class GitRemotesFixture {

    private GitRemotesFixture() {
    }

    /** No key, no token: local ({@code file://}) repositories, or whatever ~/.ssh offers. */
    public static GitRemotes plain(Path workDir) {
        return of(Map.of(), workDir);
    }

    public static GitRemotes of(Map<String, String> properties, Path workDir) {
        GitConfig config = config(properties);
        return new GitRemotes(new GitAccess(GitTransportSettings.of(config),
                remote -> GitCredentials.forRemote(config, remote), workDir.resolve("git-ssh")), config);
    }

    public static GitConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(GitConfig.class)
                .withConverter(Path.class, 200, new PathConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build().getConfigMapping(GitConfig.class);
    }
}
