package io.momentum.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How environments are deployed: the backend, the directories and the bounds. The control repositories and their
 * rules are {@code momentum.sources.*} and how git remotes are reached is {@code momentum.git.*}, both read by
 * git-support in the same keys on every host.
 */
@ConfigMapping(prefix = "momentum.deploy")
public interface DeployConfig {

    /**
     * The {@code @Identifier} of the deploy backend: {@code native} (JGit, atomic; default), {@code r10k} or
     * {@code g10k} (those commands).
     */
    @WithDefault("native")
    String backend();

    @WithDefault("/etc/puppetlabs/code/environments")
    Path environmentsDir();

    /** Git mirrors, Forge tarballs and staging versions. */
    @WithDefault("/var/cache/momentum")
    Path cacheDir();

    @WithDefault("https://forgeapi.puppet.com")
    String forgeBaseUrl();

    /** How many modules one deploy fetches at once. */
    @WithDefault("8")
    @Positive
    int parallelism();

    /**
     * How many versions of each environment the native backend keeps on disk, the live one included: re-activating
     * the plan of a kept version (a rollback) moves a symlink and downloads nothing.
     */
    @WithDefault("3")
    @Positive
    int keepVersions();

    /** How many environments deploy at once. */
    @WithDefault("4")
    @Positive
    int maxParallelEnvironments();

    /** The longest a git fetch, a Forge download or an external command may take. */
    @WithDefault("10m")
    Duration commandTimeout();

    /** The r10k or g10k executable (default: the backend's name, looked up on the PATH). */
    Optional<String> executable();

    PostDeploy post();

    R10k r10k();

    /** Settings of the r10k backend alone. */
    interface R10k {

        /**
         * r10k.yaml's {@code git: provider}: {@code rugged} (libgit2; reads {@code private_key}, {@code oauth_token}
         * and {@code repositories}) or {@code shellgit} (the git command, reaching SSH remotes through
         * {@code GIT_SSH_COMMAND}).
         */
        @WithDefault("rugged")
        @Pattern(regexp = "rugged|shellgit", message = "must be rugged or shellgit")
        String gitProvider();
    }

    /** Optional steps after an environment changed; a failing step never rolls the deploy back. */
    interface PostDeploy {

        /**
         * Flush Puppet Server's environment cache for the deployed environment, over the TLS configuration
         * {@code quarkus.tls.puppet-admin.*}.
         */
        @WithDefault("false")
        boolean flushEnvironmentCache();

        /** Run {@code puppet generate types --environment <env>} (needed for environment isolation). */
        @WithDefault("false")
        boolean generateTypes();

        @WithDefault("puppet")
        String puppetExecutable();

        /** A command to run after each deploy, as an argument array; {@code {environment}} is replaced. */
        Optional<List<String>> command();

        @WithDefault("2m")
        Duration timeout();

        /**
         * How long a step keeps trying again, with backoff, while it fails for a passing reason (Puppet Server not
         * listening yet, 503 while it starts); one budget per outage, shared by the deploys that meet it.
         */
        @WithDefault("60s")
        Duration retryFor();
    }
}
