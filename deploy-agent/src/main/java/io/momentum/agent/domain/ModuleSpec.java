package io.momentum.agent.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code mod} declaration of a Puppetfile.
 *
 * <p>{@link #installDir()} is the directory (relative to the environment, normalized, never leaving it) the module
 * goes into as {@code <installDir>/<name>}: the {@code moduledir} in force where the module is declared, or the
 * module's {@code :install_path}.
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

    /** How a git module's ref was given. */
    enum RefKind {
        /** {@code :ref} or {@code version:}: any ref, resolved as git does (tag, branch, then commit id). */
        REF,
        BRANCH,
        TAG,
        COMMIT,
        /** {@code :control_branch}: the environment's own branch. */
        CONTROL_BRANCH
    }

    /**
     * A module from a git repository.
     *
     * @param ref the ref as written; {@code master} when none is given, as r10k 3.x does
     * @param defaultBranch {@code :default_branch}, used when the wanted ref does not exist; or {@code null}
     * @param defaultBranchOverride {@code :default_branch_override}, tried before {@code defaultBranch}; or
     *     {@code null}
     * @param excludeSpec leave the module's {@code spec/} directory out
     */
    record Git(String name, String installDir, int line, String url, RefKind refKind, String ref,
            String defaultBranch, String defaultBranchOverride, boolean excludeSpec) implements ModuleSpec {

        /** The ref to resolve for an environment built from {@code controlBranch}. */
        public String effectiveRef(String controlBranch) {
            return refKind == RefKind.CONTROL_BRANCH ? controlBranch : ref;
        }

        /** The refs to try in order, as r10k does: the wanted one, the override, then the default branch. */
        public List<String> candidates(String controlBranch) {
            List<String> refs = new ArrayList<>();
            for (String ref : new String[] {effectiveRef(controlBranch), defaultBranchOverride, defaultBranch}) {
                if (ref != null && !refs.contains(ref)) {
                    refs.add(ref);
                }
            }
            return refs;
        }
    }

    /**
     * A module from the Forge.
     *
     * @param version an exact version, or {@code null}: with {@code latest} the Forge's current release on every
     *     deploy ({@code :latest}), without it the version already installed, else the current release (no version)
     */
    record Forge(String author, String name, String installDir, int line, String version, boolean latest,
            boolean excludeSpec) implements ModuleSpec {

        /** {@code author-name}, as the Forge API names releases. */
        public String slug() {
            return author + "-" + name;
        }
    }

    /** A module kept in the control repository itself ({@code :local => true}); nothing to fetch. */
    record Local(String name, String installDir, int line) implements ModuleSpec {
    }
}
