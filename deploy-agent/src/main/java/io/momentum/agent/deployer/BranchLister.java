package io.momentum.agent.deployer;

import io.momentum.agent.domain.ControlSource;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;

/**
 * Lists the environments the control repositories define right now ({@code git ls-remote} of their branches), the
 * way r10k does, so that a new or restarted agent can deploy what is missing or behind.
 */
public final class BranchLister {

    /**
     * What the sources define: environment name -> target at the branch head, plus the branches that map to no
     * usable environment (hostile names, collisions such as {@code feature-x} vs {@code feature_x}), each with why.
     */
    public record Listing(Map<String, EnvironmentTarget> environments, List<String> problems) {
    }

    public Listing list(Collection<ControlSource> sources) throws DeployException {
        Map<String, EnvironmentTarget> environments = new TreeMap<>();
        Map<String, EnvironmentTarget> collided = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (ControlSource source : sources) {
            for (Map.Entry<String, String> branch : branches(source).entrySet()) {
                String environment;
                try {
                    environment = EnvironmentNames.fromBranch(branch.getKey(), source.prefix());
                } catch (InvalidNameException e) {
                    problems.add("source " + source.name() + ": " + e.getMessage());
                    continue;
                }
                EnvironmentTarget target = new EnvironmentTarget(environment, source.name(), source.remote(),
                        branch.getKey(), branch.getValue());
                EnvironmentTarget previous = environments.putIfAbsent(environment, target);
                if (previous != null) {
                    collided.put(environment, previous);
                    problems.add("environment " + environment + " is claimed by branch " + previous.branch()
                            + " of " + previous.source() + " and by branch " + target.branch() + " of "
                            + target.source());
                }
            }
        }
        // A colliding environment belongs to no branch: deploying either would be a guess.
        collided.keySet().forEach(environments::remove);
        return new Listing(environments, problems);
    }

    /** Branch name -> head commit of one control repository. */
    public Map<String, String> branches(ControlSource source) throws DeployException {
        try {
            Collection<Ref> refs = Git.lsRemoteRepository().setRemote(source.remote()).setHeads(true).call();
            Map<String, String> branches = new TreeMap<>();
            for (Ref ref : refs) {
                if (ref.getName().startsWith(Constants.R_HEADS)) {
                    branches.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId().name());
                }
            }
            return branches;
        } catch (GitAPIException e) {
            throw new DeployException("cannot list branches of source " + source.name() + ": " + e.getMessage(), e);
        }
    }
}
