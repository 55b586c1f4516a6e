package io.momentum.agent.deployer;

import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.Puppetfile;
import io.momentum.agent.domain.PuppetfileException;
import io.momentum.shared.source.Source;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/** The control repositories as the native backend sees them: which source, which commit, which Puppetfile. */
final class ControlRepositories {

    private final List<Source> sources;

    ControlRepositories(List<Source> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The commit to deploy: the target's commit, else its branch head (or tag, where the source deploys tags),
     * fetching only when it is not known yet.
     */
    ObjectId resolve(Mirror control, EnvironmentTarget target, Source source, long notBefore)
            throws DeployException {
        if (target.branch() == null || target.branch().isEmpty()) {
            throw new DeployException("environment " + target.environment() + ": no branch given");
        }
        ObjectId id = target.commit() == null ? null : control.commit(target.commit());
        if (id == null) {
            control.refresh(notBefore);
            id = target.commit() == null ? head(control, target.branch(), source) : control.commit(target.commit());
        }
        if (id == null) {
            throw new DeployException(target.commit() == null
                    ? "branch '" + target.branch() + "' does not exist in " + Urls.redact(source.remote())
                    : "commit " + target.commit() + " does not exist in " + Urls.redact(source.remote()));
        }
        requireNoCollision(control, target, source);
        return id;
    }

    private static ObjectId head(Mirror control, String branch, Source source) throws DeployException {
        ObjectId id = control.branch(branch);
        return id == null && source.deployTags() ? control.tag(branch) : id;
    }

    /**
     * Two branches the source's rules map to one environment ({@code feature-x}, {@code feature_x}) fail that
     * environment only.
     */
    private void requireNoCollision(Mirror control, EnvironmentTarget target, Source source)
            throws DeployException {
        List<String> claimants = new ArrayList<>();
        try {
            for (Ref ref : control.repository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                String branch = ref.getName().substring(Constants.R_HEADS.length());
                if (source.forBranch(branch) instanceof Source.Decision.Deploy deploy
                        && deploy.environment().equals(target.environment())) {
                    claimants.add(branch);
                }
            }
        } catch (IOException e) {
            throw new DeployException("cannot list branches of " + Urls.redact(source.remote()) + ": " + e.getMessage(), e);
        }
        if (claimants.size() > 1) {
            throw new DeployException("environment " + target.environment() + " is claimed by branches "
                    + String.join(" and ", claimants) + "; rename one of them");
        }
    }

    /** The commit's Puppetfile; none declares no modules. */
    Puppetfile puppetfile(Mirror control, ObjectId commit, String environment) throws DeployException {
        try {
            byte[] content = TreeWriter.readFile(control.repository(), commit, "Puppetfile");
            return content == null ? new Puppetfile(null, Puppetfile.DEFAULT_MODULEDIR, List.of())
                    : Puppetfile.parse(content);
        } catch (PuppetfileException e) {
            throw new DeployException("environment " + environment + " at " + commit.abbreviate(8).name() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new DeployException("cannot read the Puppetfile of " + environment + ": " + e.getMessage(), e);
        }
    }

    /** The configured source the target names (by name, else by URL); any source when none is configured. */
    Source source(EnvironmentTarget target) throws DeployException {
        if (sources.isEmpty()) {
            if (target.remote() == null) {
                throw new DeployException("environment " + target.environment() + ": no repository URL");
            }
            return new Source(target.source() == null ? "control" : target.source(), target.remote(),
                    Optional.empty(), null, List.of(), List.of(), false, Source.InvalidBranches.CORRECT, Map.of());
        }
        for (Source source : sources) {
            if (source.name().equals(target.source())) {
                return source;
            }
        }
        for (Source source : sources) {
            if (source.remote().equals(target.remote())) {
                return source;
            }
        }
        throw new DeployException("environment " + target.environment() + ": source '" + target.source()
                + "' is not configured");
    }
}
