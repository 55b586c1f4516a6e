package io.momentum.webhook.domain;

import io.momentum.shared.env.EnvironmentNames;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One control repository as r10k's {@code sources} entry: which repository it is, the environment prefix, which
 * branches deploy.
 *
 * @param prefix the environment prefix, {@code null} for none
 * @param allow branches deploy only when one of these matches the whole name (empty: all)
 * @param ignore branches matching one of these (whole name) never deploy
 */
public record SourceRule(String name, Optional<String> repository, Optional<String> remote, String prefix,
        List<Pattern> allow, List<Pattern> ignore, boolean deployTags) {

    /** What a push to one ref means for this source. */
    public sealed interface Mapping {
        record Deploy(String environment, String branch) implements Mapping {
        }

        record Skip(String reason) implements Mapping {
        }
    }

    /** The source used when none is configured: every repository, no prefix, branches only. */
    public static SourceRule everyRepository() {
        return new SourceRule("puppet", Optional.empty(), Optional.empty(), null, List.of(), List.of(), false);
    }

    /** r10k's {@code prefix}: {@code true} means the source name, {@code false} or blank none, else the text. */
    public static String prefixFor(String sourceName, Optional<String> configured) {
        return configured.map(String::trim)
                .filter(p -> !p.isEmpty() && !p.equalsIgnoreCase("false"))
                .map(p -> p.equalsIgnoreCase("true") ? sourceName : p)
                .orElse(null);
    }

    public boolean matches(RepositoryRef repo) {
        if (repository.isEmpty() && remote.isEmpty()) {
            return true;
        }
        boolean byName = repository.map(r -> r.equalsIgnoreCase(repo.fullName())).orElse(false);
        boolean byRemote = remote.map(SourceRule::normalizeUrl)
                .map(r -> repo.urls().stream().map(SourceRule::normalizeUrl).anyMatch(r::equals)).orElse(false);
        return byName || byRemote;
    }

    /**
     * Maps a ref to an environment.
     *
     * @throws io.momentum.shared.env.InvalidNameException when the branch maps to no valid environment
     */
    public Mapping map(RefChange change) {
        if (!change.isBranch() && !change.isTag()) {
            return new Mapping.Skip(change.ref() + " is neither a branch nor a tag");
        }
        if (change.isTag() && !deployTags) {
            return new Mapping.Skip("tag " + change.shortName() + " is not deployed (tags are off for source "
                    + name + ")");
        }
        String branch = change.shortName();
        if (ignore.stream().anyMatch(p -> p.matcher(branch).matches())) {
            return new Mapping.Skip(branch + " matches an ignore pattern of source " + name);
        }
        if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(branch).matches())) {
            return new Mapping.Skip(branch + " matches no allow pattern of source " + name);
        }
        return new Mapping.Deploy(EnvironmentNames.fromBranch(branch, prefix), branch);
    }

    private static String normalizeUrl(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
    }
}
