package io.momentum.agent.schedule;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.agent.domain.ControlSource;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns requests into deploy targets against the configured control repositories. The repository URL always
 * comes from configuration, never from the request: a record on the topic cannot point this master at another
 * repository.
 */
public final class Targets {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final List<ControlSource> sources;
    private final BranchLister lister;

    public Targets(List<ControlSource> sources, BranchLister lister) {
        this.sources = List.copyOf(sources);
        this.lister = lister;
    }

    public List<ControlSource> sources() {
        return sources;
    }

    /**
     * The target of an ENVIRONMENT request.
     *
     * @throws InvalidNameException when the environment, branch, source or commit is unusable; the message says why
     */
    public EnvironmentTarget forRequest(DeployRequest request) {
        String environment = EnvironmentNames.requireValid(request.environment());
        if (request.commit() != null && !COMMIT.matcher(request.commit()).matches()) {
            throw new InvalidNameException("commit must be 40 lowercase hex digits");
        }
        ControlSource source = request.source() == null
                ? sourceOf(environment).orElseThrow(() -> new InvalidNameException(
                        "no configured source defines environment " + environment))
                : sources.stream().filter(s -> s.name().equals(request.source())).findFirst()
                        .orElseThrow(() -> new InvalidNameException("unknown source '"
                                + EnvironmentNames.correct(request.source()) + "'"));
        String branch = request.branch() == null ? branchOf(environment, source) : request.branch();
        String mapped = EnvironmentNames.fromBranch(branch, source.prefix());
        if (!mapped.equals(environment)) {
            throw new InvalidNameException("branch of source " + source.name() + " maps to environment " + mapped
                    + ", not " + environment);
        }
        return new EnvironmentTarget(environment, source.name(), source.remote(), branch, request.commit());
    }

    /** A best-effort target for an environment already on disk (the branch is inferred from its name). */
    public Optional<EnvironmentTarget> forDeployed(String environment, String commit) {
        return sourceOf(environment).map(source -> new EnvironmentTarget(environment, source.name(),
                source.remote(), branchOf(environment, source), commit));
    }

    /** The environments the sources define right now. */
    public BranchLister.Listing list() throws DeployException {
        return lister.list(sources);
    }

    /** The source whose prefix the environment carries (longest prefix wins), else the one without prefix. */
    private Optional<ControlSource> sourceOf(String environment) {
        Optional<ControlSource> prefixed = sources.stream()
                .filter(s -> s.prefix() != null && !s.prefix().isEmpty())
                .filter(s -> environment.startsWith(EnvironmentNames.correct(s.prefix()) + "_"))
                .max(Comparator.comparingInt(s -> s.prefix().length()));
        return prefixed.or(() -> sources.stream().filter(s -> s.prefix() == null || s.prefix().isEmpty())
                .findFirst());
    }

    private static String branchOf(String environment, ControlSource source) {
        if (source.prefix() == null || source.prefix().isEmpty()) {
            return environment;
        }
        return environment.substring(EnvironmentNames.correct(source.prefix()).length() + 1);
    }
}
