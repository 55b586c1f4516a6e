package io.momentum.webhook.provider;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;

/** The branch heads of a remote repository, as {@code git ls-remote --heads} lists them. */
public final class RemoteHeads {

    private RemoteHeads() {
    }

    /**
     * @return full ref name ({@code refs/heads/...}) to 40-hex commit
     * @throws IllegalStateException when the remote cannot be listed
     */
    public static Map<String, String> list(String remote) {
        try {
            Map<String, String> heads = new TreeMap<>();
            for (Ref ref : Git.lsRemoteRepository().setRemote(remote).setHeads(true).setTimeout(30).call()) {
                if (ref.getObjectId() != null) {
                    heads.put(ref.getName(), ref.getObjectId().name());
                }
            }
            return heads;
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot list " + remote + ": " + e.getMessage(), e);
        }
    }
}
