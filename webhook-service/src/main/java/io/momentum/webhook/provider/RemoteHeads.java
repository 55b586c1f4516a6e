package io.momentum.webhook.provider;

import io.momentum.git.GitAccess;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.URIish;

/**
 * The branch heads of a remote repository, as {@code git ls-remote --heads} lists them, reached over SSH or HTTPS
 * with the keys, known_hosts and tokens of {@code momentum.git.*} ({@link GitAccess}).
 */
@ApplicationScoped
public class RemoteHeads {

    private final GitAccess access;

    public RemoteHeads(GitAccess access) {
        this.access = access;
    }

    /**
     * @return full ref name ({@code refs/heads/...}) to 40-hex commit
     * @throws IllegalStateException when the remote cannot be listed, naming it (never a password in its URL)
     */
    public Map<String, String> list(String remote) {
        try {
            Map<String, String> heads = new TreeMap<>();
            for (Ref ref : access.configure(Git.lsRemoteRepository(), remote).setRemote(remote).setHeads(true)
                    .setTimeout(30).call()) {
                if (ref.getObjectId() != null) {
                    heads.put(ref.getName(), ref.getObjectId().name());
                }
            }
            return heads;
        } catch (GitAPIException | RuntimeException e) {
            String named = withoutPassword(remote);
            String detail = String.valueOf(e.getMessage());
            // JGit's transport errors start with the URL already
            String cause = detail.startsWith(named + ": ") ? detail.substring(named.length() + 2) : detail;
            throw new IllegalStateException("cannot list the branches of " + named + ": " + cause, e);
        }
    }

    /** {@link URIish#toString()} leaves a password out. */
    private static String withoutPassword(String remote) {
        try {
            return new URIish(remote).toString();
        } catch (URISyntaxException e) {
            return "a remote that is no git URL";
        }
    }
}
