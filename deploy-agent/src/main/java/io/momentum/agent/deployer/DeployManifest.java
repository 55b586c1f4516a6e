package io.momentum.agent.deployer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What one deployed version holds, kept beside it (not inside the environment): the control commit, each module's
 * pinned source and the digest of the plan it was built from. It makes the no-change check, module reuse and the
 * re-activation of a kept plan exact without touching the environment's files.
 *
 * @param planDigest the {@code DeployPlan} digest; {@code null} for versions written before plans existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record DeployManifest(String environment, String source, String branch, String commit, String startedAt,
        String finishedAt, List<ModuleRecord> modules, String planDigest) {

    DeployManifest {
        modules = List.copyOf(modules);
    }

    ModuleRecord reusable(ModuleRecord wanted) {
        return modules.stream().filter(m -> m.sameFiles(wanted)).findFirst().orElse(null);
    }

    /**
     * One resolved Puppetfile module.
     *
     * @param path its directory relative to the environment
     * @param type {@code git}, {@code forge} or {@code local}
     * @param source the git URL or the Forge {@code author-name}
     * @param version what r10k reports as the expected version: the ref as written, the Forge version, or
     *     {@code 0.0.0 (local)}
     * @param sha the resolved git commit (git modules only)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModuleRecord(String name, String path, String type, String source, String version, String sha,
            boolean excludeSpec) {

        static final String GIT = "git";
        static final String FORGE = "forge";
        static final String LOCAL = "local";

        boolean sameFiles(ModuleRecord other) {
            if (!path.equals(other.path) || !type.equals(other.type) || excludeSpec != other.excludeSpec
                    || type.equals(LOCAL)) {
                return false;
            }
            return type.equals(GIT) ? source.equals(other.source) && sha.equals(other.sha)
                    : source.equals(other.source) && version.equals(other.version);
        }
    }
}
