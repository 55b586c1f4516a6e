package io.momentum.shared.source;

import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One control repository and its rules, as an r10k {@code sources} entry: the webhook, the poller, a full sync and
 * every agent decide with the same object which branches deploy and to which environment.
 *
 * @param remote the clone URL
 * @param repository the git host's name for it ({@code puppet/control}), to recognise its webhooks; optional
 * @param prefix the environment prefix, {@code null} for none
 * @param allow branches deploy only when one of these matches the whole name (empty: all)
 * @param ignore branches matching one of these (whole name) never deploy
 * @param deployTags whether tags deploy as environments too
 * @param invalidBranches what to do with a branch whose name is not a valid environment name
 * @param environments explicit branch -> environment names, e.g. {@code main -> production} (Puppet reserves
 *     main, master, agent, user and server as environment names); no prefix is added to these
 */
public record Source(String name, String remote, Optional<String> repository, String prefix, List<Pattern> allow,
        List<Pattern> ignore, boolean deployTags, InvalidBranches invalidBranches, Map<String, String> environments) {

    /** r10k's {@code invalid_branches}. */
    public enum InvalidBranches {
        /** Replace each character outside {@code [A-Za-z0-9_]} with {@code _} and say so (r10k's default). */
        CORRECT_AND_WARN,
        /** The same, silently. */
        CORRECT,
        /** Deploy nothing for such a branch, and say why. */
        ERROR;

        public static InvalidBranches named(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid-branches must be correct_and_warn, correct or error, not "
                        + value);
            }
        }
    }

    /** What a ref means for this source. */
    public sealed interface Decision {

        /** Deploy {@code branch} as {@code environment}; {@code warning} says what was corrected. */
        record Deploy(String environment, String branch, Optional<String> warning) implements Decision {
        }

        /** Deploy nothing, for this reason. */
        record Skip(String reason) implements Decision {
        }
    }

    public Source {
        repository = repository == null ? Optional.empty() : repository;
        prefix = prefix == null || prefix.isBlank() ? null : prefix;
        allow = List.copyOf(allow);
        ignore = List.copyOf(ignore);
        environments = Map.copyOf(environments);
        environments.values().forEach(EnvironmentNames::requireValid);
    }

    /** r10k's {@code prefix}: {@code true} means the source name, {@code false} or blank none, else the text. */
    public static String prefixFor(String sourceName, Optional<String> configured) {
        return configured.map(String::trim)
                .filter(p -> !p.isEmpty() && !p.equalsIgnoreCase("false"))
                .map(p -> p.equalsIgnoreCase("true") ? sourceName : p)
                .orElse(null);
    }

    /** What a branch of this source deploys to. */
    public Decision forBranch(String branch) {
        if (branch == null || branch.isEmpty()) {
            return new Decision.Skip("empty branch name");
        }
        if (ignore.stream().anyMatch(p -> p.matcher(branch).matches())) {
            return new Decision.Skip("branch " + branch + " matches an ignore pattern of source " + name);
        }
        if (!allow.isEmpty() && allow.stream().noneMatch(p -> p.matcher(branch).matches())) {
            return new Decision.Skip("branch " + branch + " matches no allow pattern of source " + name);
        }
        String mapped = environments.get(branch);
        if (mapped != null) {
            return new Decision.Deploy(mapped, branch, Optional.empty());
        }
        return named(branch, "branch");
    }

    /** What a tag of this source deploys to: nothing unless tags are on, then as a branch would. */
    public Decision forTag(String tag) {
        if (!deployTags) {
            return new Decision.Skip("tag " + tag + " is not deployed (deploy-tags is off for source " + name + ")");
        }
        return forBranch(tag);
    }

    /** Whether an environment can only have come from this source (its prefix), for purging what no rule allows. */
    public boolean owns(String environment) {
        return prefix == null || environment.startsWith(EnvironmentNames.correct(prefix) + "_")
                || environments.containsValue(environment);
    }

    private Decision named(String branch, String what) {
        String corrected = EnvironmentNames.correct(branch);
        boolean changed = !corrected.equals(branch);
        if (changed && invalidBranches == InvalidBranches.ERROR) {
            return new Decision.Skip(what + " " + printable(branch) + " is not a valid environment name and source "
                    + name + " has invalid-branches=error");
        }
        String environment;
        try {
            environment = EnvironmentNames.fromBranch(branch, prefix);
        } catch (InvalidNameException e) {
            return new Decision.Skip(e.getMessage() + (isReserved(corrected)
                    ? "; map it with momentum.sources." + name + ".environments." + branch + "=<environment>"
                    : ""));
        }
        Optional<String> warning = changed && invalidBranches == InvalidBranches.CORRECT_AND_WARN
                ? Optional.of(what + " " + printable(branch) + " deploys as environment " + environment)
                : Optional.empty();
        return new Decision.Deploy(environment, branch, warning);
    }

    private boolean isReserved(String corrected) {
        return prefix == null && List.of("main", "master", "agent", "user", "server").contains(corrected);
    }

    private static String printable(String s) {
        String shortened = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
