package io.momentum.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How environments are deployed: the backend, the control repositories, the directories and the bounds. */
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

    /** Control repositories by name, like r10k's {@code sources}. */
    Map<String, Source> sources();

    @WithDefault("https://forgeapi.puppet.com")
    String forgeBaseUrl();

    /** How many modules one deploy fetches at once. */
    @WithDefault("8")
    @Positive
    int parallelism();

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

    interface Source {

        /** The control repository URL. */
        String remote();

        /**
         * As r10k: {@code true} prefixes environments with the source name, any other text is the prefix itself,
         * {@code false} or unset means no prefix.
         */
        Optional<String> prefix();
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
