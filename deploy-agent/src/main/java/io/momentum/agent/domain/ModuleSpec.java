package io.momentum.agent.domain;

/**
 * One {@code mod} declaration of a Puppetfile.
 *
 * <p>{@link #installDir()} is the directory (relative to the environment, normalized, never leaving it) the module
 * goes into as {@code <installDir>/<name>}: the Puppetfile's {@code moduledir}, or the module's {@code :install_path}.
 */
public sealed interface ModuleSpec permits ModuleSpec.Git, ModuleSpec.Forge, ModuleSpec.Local {

    /** The module's short name (no author), already validated. */
    String name();

    String installDir();

    /** The Puppetfile line the declaration starts on. */
    int line();

    /** The module's directory relative to the environment. */
    default String path() {
        return installDir().isEmpty() ? name() : installDir() + "/" + name();
    }

    /** How a git module's ref was given; it decides whether and what to fetch. */
    enum RefKind {
        /** {@code :ref}: a branch, a tag or a commit, resolved in that order. */
        REF,
        BRANCH,
        TAG,
        COMMIT,
        /** {@code :branch => :control_branch}: the environment's own branch, else {@code :default_branch}. */
        CONTROL_BRANCH
    }

    /**
     * A module from a git repository.
     *
     * @param ref the ref as written; {@code master} when none is given, as r10k does
     * @param defaultBranch the fallback for {@link RefKind#CONTROL_BRANCH}, or {@code null}
     * @param excludeSpec leave the module's {@code spec/} directory out
     */
    record Git(String name, String installDir, int line, String url, RefKind refKind, String ref,
            String defaultBranch, boolean excludeSpec) implements ModuleSpec {

        /** The ref to resolve for an environment built from {@code controlBranch}. */
        public String effectiveRef(String controlBranch) {
            return refKind == RefKind.CONTROL_BRANCH ? controlBranch : ref;
        }
    }

    /**
     * A module from the Forge.
     *
     * @param version an exact version, or {@code null} for the latest release
     */
    record Forge(String author, String name, String installDir, int line, String version, boolean excludeSpec)
            implements ModuleSpec {

        /** {@code author-name}, as the Forge API names releases. */
        public String slug() {
            return author + "-" + name;
        }
    }

    /** A module kept in the control repository itself ({@code :local => true}); nothing to fetch. */
    record Local(String name, String installDir, int line) implements ModuleSpec {
    }
}
