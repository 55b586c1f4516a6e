package io.momentum.agent.schedule;

import io.momentum.agent.deployer.BranchLister;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.source.Source;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns requests and plans into deploy targets against the configured control repositories and their rules
 * ({@code momentum.sources.*}, the same on every host). The repository URL always comes from configuration, never
 * from the record: a record on a topic cannot point this master at another repository, nor deploy a branch the
 * source's rules skip.
 */
public final class Targets {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final List<Source> sources;
    private final BranchLister lister;

    public Targets(List<Source> sources, BranchLister lister) {
        this.sources = List.copyOf(sources);
        this.lister = lister;
    }

    public List<Source> sources() {
        return sources;
    }

    /**
     * The target of an ENVIRONMENT request.
     *
     * @throws InvalidNameException when the environment, branch, source or commit is unusable, or the source's rules
     *     do not deploy that branch there; the message says why (the rule)
     */
    public EnvironmentTarget forRequest(DeployRequest request) {
        return target(request.environment(), request.source(), request.branch(), request.commit());
    }

    /**
     * The target of a PLANNED plan, checked against this host's rules as a request is: a record on the plans topic
     * cannot deploy a branch the rules skip, nor name a repository (the source's URL comes from configuration).
     *
     * @throws InvalidNameException as {@link #forRequest}
     */
    public EnvironmentTarget forPlan(DeployPlan plan) {
        return target(plan.environment(), plan.source(), plan.branch(), plan.commit());
    }

    private EnvironmentTarget target(String requestedEnvironment, String sourceName, String requestedBranch,
            String commit) {
        String environment = EnvironmentNames.requireValid(requestedEnvironment);
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            throw new InvalidNameException("commit must be 40 lowercase hex digits");
        }
        Source source = sourceName == null
                ? sourceOf(environment).orElseThrow(() -> new InvalidNameException(
                        "no configured source defines environment " + environment))
                : sources.stream().filter(s -> s.name().equals(sourceName)).findFirst()
                        .orElseThrow(() -> new InvalidNameException("unknown source '"
                                + EnvironmentNames.correct(sourceName) + "'"));
        String branch = requestedBranch == null ? branchOf(environment, source) : requestedBranch;
        Source.Decision decision = source.forBranch(branch);
        if (decision instanceof Source.Decision.Skip skip) {
            throw new InvalidNameException("not deployed by the rules of momentum.sources." + source.name() + ": "
                    + skip.reason());
        }
        String mapped = ((Source.Decision.Deploy) decision).environment();
        if (!mapped.equals(environment)) {
            throw new InvalidNameException("branch of source " + source.name() + " maps to environment " + mapped
                    + ", not " + environment);
        }
        return new EnvironmentTarget(environment, source.name(), source.remote(), branch, commit);
    }

    /** The environments the sources define right now, by their rules. */
    public BranchLister.Listing list() throws DeployException {
        return lister.list(sources);
    }

    /** Whether some source's name space holds {@code environment}: only then may a full sync purge it. */
    public boolean owned(String environment) {
        return sources.stream().anyMatch(source -> source.owns(environment));
    }

    /**
     * The source that maps a branch to the environment, else the one whose prefix it carries (longest prefix
     * wins), else the one without prefix.
     */
    private Optional<Source> sourceOf(String environment) {
        Optional<Source> mapping = sources.stream()
                .filter(s -> s.environments().containsValue(environment)).findFirst();
        Optional<Source> prefixed = sources.stream()
                .filter(s -> s.prefix() != null)
                .filter(s -> environment.startsWith(EnvironmentNames.correct(s.prefix()) + "_"))
                .max(Comparator.comparingInt(s -> s.prefix().length()));
        return mapping.or(() -> prefixed).or(() -> sources.stream().filter(s -> s.prefix() == null).findFirst());
    }

    private static String branchOf(String environment, Source source) {
        Optional<String> mapped = source.environments().entrySet().stream()
                .filter(entry -> entry.getValue().equals(environment)).map(Map.Entry::getKey).sorted().findFirst();
        if (mapped.isPresent()) {
            return mapped.get();
        }
        String prefix = source.prefix() == null ? null : EnvironmentNames.correct(source.prefix()) + "_";
        return prefix == null || !environment.startsWith(prefix) ? environment
                : environment.substring(prefix.length());
    }
}
