package io.momentum.webhook.domain;

import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployRequest;
import io.momentum.shared.event.EnvironmentNamePattern;
import io.momentum.shared.source.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The control repositories ({@code momentum.sources.*}, the same keys the deploy agents read) as the webhook uses
 * them: which source a push belongs to, what each pushed ref deploys, and which branch a manually requested
 * environment comes from. What deploys where is always {@link Source}'s decision, so every request published here
 * is one the agents accept.
 */
public final class ControlSources {

    /** Where a manually requested environment comes from, or why no source deploys it. */
    public sealed interface Origin {

        record Branch(Source source, String branch) implements Origin {
        }

        record Nowhere(String reason) implements Origin {
        }
    }

    private final List<Source> sources;

    /** @throws IllegalArgumentException when no source is configured: nothing could be deployed */
    public ControlSources(List<Source> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no control repository is configured: set momentum.sources.<name>"
                    + ".remote (its clone URL) and .repository (the name the git host sends, e.g. puppet/control),"
                    + " the same keys the deploy agents read");
        }
        this.sources = List.copyOf(sources);
    }

    public List<Source> all() {
        return sources;
    }

    /** The first source (by name) the pushed repository is: by its full name on the git host or by a clone URL. */
    public Optional<Source> forRepository(RepositoryRef repository) {
        return sources.stream().filter(source -> matches(source, repository)).findFirst();
    }

    static boolean matches(Source source, RepositoryRef repository) {
        boolean byName = source.repository().map(name -> name.equalsIgnoreCase(repository.fullName())).orElse(false);
        String remote = normalizeUrl(source.remote());
        return byName || repository.urls().stream().map(ControlSources::normalizeUrl).anyMatch(remote::equals);
    }

    /**
     * What a pushed ref deploys, as the source's rules say.
     *
     * @throws InvalidNameException when the ref is no valid git ref name ({@link RefNames}), or when the name can
     *     never be an environment (only punctuation, too long) and no rule of the source skipped it first: refused
     *     as such, so that the git host's delivery log shows it
     */
    public static Source.Decision decide(Source source, RefChange change) {
        RefNames.requireValid(change.ref());
        if (!change.isBranch() && !change.isTag()) {
            return new Source.Decision.Skip(change.ref() + " is neither a branch nor a tag");
        }
        String name = change.shortName();
        Source.Decision decision = change.isTag() ? source.forTag(name) : source.forBranch(name);
        if (decision instanceof Source.Decision.Skip skip && skippedForItsNameAlone(source, name, skip)
                && !isReservedWord(source, name)) {
            throw new InvalidNameException(skip.reason());
        }
        return decision;
    }

    /**
     * The source and branch a manual deploy of {@code environment} repeats: the branch last requested for it when
     * its source still deploys it there; else, as the agents look it up, a branch mapped to it, then the source
     * whose prefix it carries (longest first), then a source without prefix, the branch being the environment's
     * name without the prefix.
     */
    public Origin originOf(String environment, Optional<DeployRequest> lastRequested) {
        Optional<Origin> last = lastRequested.filter(request -> request.source() != null)
                .flatMap(request -> named(request.source())
                        .filter(source -> deploysTo(source, request.branch(), environment))
                        .map(source -> new Origin.Branch(source, request.branch())));
        if (last.isPresent()) {
            return last.get();
        }
        List<String> reasons = new ArrayList<>();
        for (Origin.Branch candidate : candidates(environment)) {
            Source.Decision decision = candidate.source().forBranch(candidate.branch());
            if (decision instanceof Source.Decision.Deploy deploy && deploy.environment().equals(environment)) {
                return candidate;
            }
            if (decision instanceof Source.Decision.Skip skip) {
                reasons.add(skip.reason());
            }
        }
        return new Origin.Nowhere("no configured source deploys environment " + environment
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
    }

    public Optional<Source> named(String name) {
        return sources.stream().filter(source -> source.name().equals(name)).findFirst();
    }

    /** Whether the source deploys {@code branch} as {@code environment}: what the agents check of a request. */
    public static boolean deploysTo(Source source, String branch, String environment) {
        return branch != null && source.forBranch(branch) instanceof Source.Decision.Deploy deploy
                && deploy.environment().equals(environment);
    }

    private List<Origin.Branch> candidates(String environment) {
        List<Origin.Branch> candidates = new ArrayList<>();
        for (Source source : sources) {
            source.environments().entrySet().stream().filter(mapped -> mapped.getValue().equals(environment))
                    .map(Map.Entry::getKey).sorted().forEach(branch -> candidates.add(new Origin.Branch(source,
                            branch)));
        }
        sources.stream().filter(source -> source.prefix() != null)
                .filter(source -> environment.startsWith(prefixOf(source)))
                .sorted(Comparator.comparingInt((Source source) -> source.prefix().length()).reversed())
                .forEach(source -> candidates.add(new Origin.Branch(source,
                        environment.substring(prefixOf(source).length()))));
        sources.stream().filter(source -> source.prefix() == null)
                .forEach(source -> candidates.add(new Origin.Branch(source, environment)));
        return candidates;
    }

    private static String prefixOf(Source source) {
        return EnvironmentNames.correct(source.prefix()) + "_";
    }

    /**
     * Whether the source would skip {@code name} for the same reason without its allow/ignore patterns and with
     * {@code invalid-branches=correct}: then neither a pattern nor the operator's choice skipped it, the name did.
     */
    private static boolean skippedForItsNameAlone(Source source, String name, Source.Decision.Skip skip) {
        Source namesOnly = new Source(source.name(), source.remote(), source.repository(), source.prefix(),
                List.of(), List.of(), true, Source.InvalidBranches.CORRECT, source.environments());
        return namesOnly.forBranch(name) instanceof Source.Decision.Skip alone && alone.reason().equals(skip.reason());
    }

    /**
     * A name of the right shape that Puppet still refuses (main, master, ...): skipped with the source's hint to
     * map it, not refused.
     */
    private static boolean isReservedWord(Source source, String name) {
        String corrected = EnvironmentNames.correct(name);
        return source.prefix() == null && corrected.matches(EnvironmentNamePattern.REGEX)
                && !EnvironmentNames.isValid(corrected);
    }

    private static String normalizeUrl(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
    }
}
