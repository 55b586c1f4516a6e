package io.momentum.git;

import io.momentum.shared.source.Source;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The control repositories, configured once in the same keys on every host ({@code momentum.sources.<name>.*},
 * r10k's {@code sources}): the webhook, the poller, a full sync and the agents all read them.
 */
@ConfigMapping(prefix = "momentum.sources")
public interface SourcesConfig {

    @WithParentName
    Map<String, SourceConfig> all();

    interface SourceConfig {

        /** The clone URL (r10k {@code remote}). */
        String remote();

        /** The git host's name for the repository ({@code puppet/control}), to match its webhooks. */
        Optional<String> repository();

        /** r10k {@code prefix}: {@code true} (the source name), {@code false} (default) or a literal prefix. */
        Optional<String> prefix();

        /** Regular expressions; when set, only branches matching one (whole name) deploy. */
        Optional<List<String>> allow();

        /** Regular expressions; branches matching one (whole name) never deploy (r10k {@code ignore_branch_prefixes}, generalised). */
        Optional<List<String>> ignore();

        @WithDefault("false")
        boolean deployTags();

        /** r10k {@code invalid_branches}: {@code correct_and_warn}, {@code correct} or {@code error}. */
        @WithDefault("correct_and_warn")
        String invalidBranches();

        /** Explicit branch to environment names, e.g. {@code environments.main=production}. */
        Map<String, String> environments();
    }

    /** The configured sources as domain objects; a bad pattern or name fails with the key that holds it. */
    default List<Source> sources() {
        return all().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> {
            String name = entry.getKey();
            SourceConfig config = entry.getValue();
            try {
                return new Source(name, config.remote(), config.repository(),
                        Source.prefixFor(name, config.prefix()),
                        patterns(name, "allow", config.allow()), patterns(name, "ignore", config.ignore()),
                        config.deployTags(), Source.InvalidBranches.named(config.invalidBranches()),
                        config.environments());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("momentum.sources." + name + ": " + e.getMessage(), e);
            }
        }).toList();
    }

    private static List<Pattern> patterns(String source, String key, Optional<List<String>> values) {
        return values.orElse(List.of()).stream().map(value -> {
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(key + " pattern '" + value + "' of source " + source
                        + " is not a regular expression: " + e.getDescription());
            }
        }).toList();
    }
}
