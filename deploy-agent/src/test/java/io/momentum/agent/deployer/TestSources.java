package io.momentum.agent.deployer;

import io.momentum.shared.source.Source;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sources as {@code momentum.sources.<name>.remote} (and {@code prefix}) alone configure them. */
public final class TestSources {

    private TestSources() {
    }

    /** A source with r10k's default rules: every branch, names corrected, no tags, no mapping. */
    public static Source source(String name, String remote, String prefix) {
        return new Source(name, remote, Optional.empty(), prefix, List.of(), List.of(), false,
                Source.InvalidBranches.CORRECT_AND_WARN, Map.of());
    }
}
