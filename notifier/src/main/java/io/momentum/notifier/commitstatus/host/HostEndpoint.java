package io.momentum.notifier.commitstatus.host;

/**
 * Where and as whom to post: the API base URL (no trailing slash), the repository's API path and the credentials.
 *
 * @param username {@code null}: the token is a Bearer token (Basic for Azure DevOps)
 */
public record HostEndpoint(String apiUrl, String repositoryPath, String token, String username) {

    @Override
    public String toString() {
        return "HostEndpoint[" + apiUrl + " " + repositoryPath + "]";
    }
}
