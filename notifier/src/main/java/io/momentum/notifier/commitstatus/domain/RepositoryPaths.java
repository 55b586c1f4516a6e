package io.momentum.notifier.commitstatus.domain;

import io.momentum.shared.event.Provider;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The path a git host's API names a repository by, read from the repository's clone URL (HTTPS, {@code ssh://} or
 * scp-like {@code git@host:path}):
 * <ul>
 * <li>GitHub, Gitea/Forgejo, Bitbucket Cloud: {@code owner/repo};</li>
 * <li>GitLab: the full path with subgroups, {@code group/sub/repo};</li>
 * <li>Bitbucket Server/Data Center: {@code PROJECT/repo} (from {@code /scm/PROJECT/repo.git} or
 * {@code ssh://host:7999/PROJECT/repo.git});</li>
 * <li>Azure DevOps: {@code organization/project/repo} (from {@code dev.azure.com/org/project/_git/repo},
 * {@code ssh.dev.azure.com:v3/org/project/repo} or {@code org.visualstudio.com/project/_git/repo}).</li>
 * </ul>
 */
public final class RepositoryPaths {

    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$");
    private static final Pattern VISUALSTUDIO = Pattern.compile("^([^.]+)\\.visualstudio\\.com$");

    private RepositoryPaths() {
    }

    /** The path, or empty when the URL has no path this host's API could name. */
    public static Optional<String> of(Provider provider, String repositoryUrl) {
        Optional<HostAndPath> parsed = parse(repositoryUrl.trim());
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        String host = parsed.get().host();
        String path = parsed.get().path();
        String result = switch (provider) {
            case BITBUCKET_SERVER -> bitbucketServer(path);
            case AZURE_DEVOPS -> azureDevOps(host, path);
            default -> path;
        };
        int segments = result == null ? 0 : result.split("/").length;
        int wanted = provider == Provider.AZURE_DEVOPS ? 3 : 2;
        boolean fits = provider == Provider.GITLAB ? segments >= 2 : segments == wanted;
        return fits ? Optional.of(result) : Optional.empty();
    }

    private record HostAndPath(String host, String path) {
    }

    private static Optional<HostAndPath> parse(String url) {
        String host;
        String path;
        if (url.contains("://")) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            host = uri.getHost();
            path = uri.getPath();
        } else {
            Matcher scp = SCP_LIKE.matcher(url);
            if (!scp.matches()) {
                return Optional.empty();
            }
            host = scp.group(1);
            path = scp.group(2);
        }
        if (host == null || path == null) {
            return Optional.empty();
        }
        path = path.replaceAll("^/+|/+$", "").replaceFirst("\\.git$", "");
        return path.isEmpty() ? Optional.empty() : Optional.of(new HostAndPath(host, path));
    }

    private static String bitbucketServer(String path) {
        if (path.startsWith("scm/")) {
            return path.substring("scm/".length());
        }
        Matcher browse = Pattern.compile("^projects/([^/]+)/repos/([^/]+)(?:/.*)?$").matcher(path);
        return browse.matches() ? browse.group(1) + "/" + browse.group(2) : path;
    }

    private static String azureDevOps(String host, String path) {
        if (path.startsWith("v3/")) {
            return path.substring("v3/".length());
        }
        String withoutGit = path.replaceFirst("/_git/", "/");
        Matcher visualStudio = VISUALSTUDIO.matcher(host);
        if (visualStudio.matches()) {
            return visualStudio.group(1) + "/" + withoutGit.replaceFirst("^DefaultCollection/", "");
        }
        return withoutGit;
    }
}
