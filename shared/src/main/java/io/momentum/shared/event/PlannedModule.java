package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One Puppetfile module of a {@link DeployPlan}, pinned: what every master installs, byte for byte.
 *
 * @param path the module's directory relative to the environment (r10k's install_path/name)
 * @param source the git URL, or the Forge {@code author-name}; empty for a local module
 * @param version the ref as the Puppetfile wrote it (git), the exact release (Forge), {@code 0.0.0 (local)}
 * @param sha the git commit the ref resolved to (git modules only)
 * @param sha256 the SHA-256 of the Forge release's tarball as the Forge published it (Forge modules only)
 * @param excludeSpec whether the module's {@code spec/} directory is left out
 */
public record PlannedModule(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9_]*") String name,
        @NotBlank String path,
        @NotNull Type type,
        @NotNull String source,
        String version,
        @Pattern(regexp = "[0-9a-f]{40}") String sha,
        @Pattern(regexp = "[0-9a-f]{64}") String sha256,
        boolean excludeSpec) {

    public enum Type {
        GIT,
        FORGE,
        LOCAL
    }

    /** This module as one line of the plan's canonical text (see {@link DeployPlan#digestOf}). */
    String canonical() {
        return String.join("\u001f", name, path, type.name(), source, nullToEmpty(version), nullToEmpty(sha),
                nullToEmpty(sha256), Boolean.toString(excludeSpec));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
