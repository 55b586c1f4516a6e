package io.momentum.agent.deployer;

import io.momentum.shared.source.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every backend needs to know, independent of how it is configured.
 *
 * @param environmentsDir where environments live (default {@code /etc/puppetlabs/code/environments})
 * @param cacheDir the backend's own cache: git mirrors, Forge tarballs, staging versions
 * @param sources the control repositories and their rules ({@code momentum.sources.*})
 * @param forgeBaseUrl the Forge API base URL (default {@code https://forgeapi.puppet.com})
 * @param parallelism how many modules one deploy fetches at once
 * @param commandTimeout the longest a git fetch, a Forge download or an external command may take
 * @param executable the r10k or g10k executable for those backends (ignored by the native one)
 * @param git how git remotes are reached ({@code momentum.git.*})
 * @param r10kGitProvider r10k's {@code git: provider} ({@code rugged} or {@code shellgit}; r10k backend only)
 * @param keepVersions versions per environment kept on disk, the live one included (native backend only; at least 1)
 */
public record DeployerSettings(
        Path environmentsDir,
        Path cacheDir,
        List<Source> sources,
        String forgeBaseUrl,
        int parallelism,
        Duration commandTimeout,
        String executable,
        GitRemotes git,
        String r10kGitProvider,
        int keepVersions) {

    public DeployerSettings {
        sources = List.copyOf(sources);
    }
}
