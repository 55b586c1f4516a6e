package io.momentum.agent.deployer;

import io.momentum.shared.source.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * Lists the environments the control repositories define right now ({@code git ls-remote} of their branches, and
 * tags where a source deploys tags), the way r10k does, through each source's rules ({@link Source#forBranch}):
 * what a new or restarted agent catches up on and what a full sync deploys. Remotes are reached with the
 * configured keys and tokens ({@link GitRemotes}).
 */
public final class BranchLister {

    /**
     * What the sources define: environment name -> target at the branch head; the environments two branches claim
     * (deployed from neither, purged by neither) and the problems an operator must fix; and the branches the rules
     * skip, each with why.
     */
    public record Listing(Map<String, EnvironmentTarget> environments, Set<String> contested, List<String> problems,
            List<String> skipped) {
    }

    private final GitRemotes remotes;
    private final Duration timeout;

    public BranchLister(GitRemotes remotes, Duration timeout) {
        this.remotes = remotes;
        this.timeout = timeout;
    }

    public Listing list(Collection<Source> sources) throws DeployException {
        Map<String, EnvironmentTarget> environments = new TreeMap<>();
        Map<String, EnvironmentTarget> collided = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Source source : sources) {
            Map<String, String> branches = refs(source, true);
            Map<String, String> tags = source.deployTags() ? refs(source, false) : Map.of();
            for (Map.Entry<String, String> ref : refsInOrder(branches, tags)) {
                boolean tag = !branches.containsKey(ref.getKey());
                Source.Decision decision = tag ? source.forTag(ref.getKey()) : source.forBranch(ref.getKey());
                if (decision instanceof Source.Decision.Skip skip) {
                    skipped.add(skip.reason());
                    continue;
                }
                Source.Decision.Deploy deploy = (Source.Decision.Deploy) decision;
                EnvironmentTarget target = new EnvironmentTarget(deploy.environment(), source.name(),
                        source.remote(), ref.getKey(), ref.getValue());
                EnvironmentTarget previous = environments.putIfAbsent(deploy.environment(), target);
                if (previous != null) {
                    collided.put(deploy.environment(), previous);
                    problems.add("environment " + deploy.environment() + " is claimed by " + previous.branch()
                            + " of " + previous.source() + " and by " + target.branch() + " of "
                            + target.source());
                }
            }
        }
        // A colliding environment belongs to no branch: deploying either would be a guess.
        collided.keySet().forEach(environments::remove);
        return new Listing(environments, collided.keySet(), problems, skipped);
    }

    /** Branch name -> head commit of one control repository. */
    public Map<String, String> branches(Source source) throws DeployException {
        return refs(source, true);
    }

    /** Branches first, then tags that no branch of the same name hides. */
    private static List<Map.Entry<String, String>> refsInOrder(Map<String, String> branches,
            Map<String, String> tags) {
        List<Map.Entry<String, String>> all = new ArrayList<>(branches.entrySet());
        tags.entrySet().stream().filter(tag -> !branches.containsKey(tag.getKey())).forEach(all::add);
        return all;
    }

    private Map<String, String> refs(Source source, boolean heads) throws DeployException {
        String prefix = heads ? Constants.R_HEADS : Constants.R_TAGS;
        try {
            Collection<Ref> refs = remotes.configure(Git.lsRemoteRepository().setRemote(source.remote())
                    .setHeads(heads).setTags(!heads), source.remote())
                    .setTimeout((int) Math.max(1, timeout.toSeconds())).call();
            Map<String, String> named = new TreeMap<>();
            for (Ref ref : refs) {
                if (ref.getName().startsWith(prefix) && !ref.getName().endsWith("^{}")) {
                    ObjectId commit = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                    named.put(ref.getName().substring(prefix.length()), commit.name());
                }
            }
            return named;
        } catch (GitAPIException | RuntimeException e) {
            throw new DeployException("cannot list branches of source " + source.name() + ": "
                    + remotes.failure("list branches of", source.remote(), e), e);
        }
    }
}
