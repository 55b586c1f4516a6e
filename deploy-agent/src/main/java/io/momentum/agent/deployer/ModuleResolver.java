package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.ModuleSpec;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Resolves a Puppetfile module to exactly what gets installed: a git commit, a Forge version, or a directory the
 * control repository already holds. Refreshes a mirror only when the ref may have moved or is not known yet.
 */
final class ModuleResolver {

    private final GitMirrors mirrors;
    private final ForgeClient forge;

    ModuleResolver(GitMirrors mirrors, ForgeClient forge) {
        this.mirrors = mirrors;
        this.forge = forge;
    }

    ModuleRecord resolve(ModuleSpec spec, String branch, long notBefore) throws DeployException {
        if (spec instanceof ModuleSpec.Git module) {
            return resolveGit(module, branch, notBefore);
        }
        if (spec instanceof ModuleSpec.Forge module) {
            return new ModuleRecord(module.name(), module.path(), ModuleRecord.FORGE, module.slug(),
                    forge.resolveVersion(module), null, module.excludeSpec());
        }
        return new ModuleRecord(spec.name(), spec.path(), ModuleRecord.LOCAL, "", "0.0.0 (local)", null, false);
    }

    private ModuleRecord resolveGit(ModuleSpec.Git module, String branch, long notBefore) throws DeployException {
        Mirror mirror = mirrors.mirror(module.url());
        String ref = module.effectiveRef(branch);
        ObjectId id;
        switch (module.refKind()) {
            case COMMIT -> {
                id = mirror.commit(ref);
                if (id == null) {
                    mirror.refresh(notBefore);
                    id = mirror.commit(ref);
                }
            }
            case TAG -> {
                id = mirror.tag(ref);
                if (id == null) {
                    mirror.refresh(notBefore);
                    id = mirror.tag(ref);
                }
            }
            case BRANCH -> {
                mirror.refresh(notBefore);
                id = mirror.branch(ref);
            }
            case CONTROL_BRANCH -> {
                mirror.refresh(notBefore);
                id = mirror.branch(ref);
                if (id == null && module.defaultBranch() != null) {
                    ref = module.defaultBranch();
                    id = mirror.branch(ref);
                }
            }
            default -> {
                id = ref.matches("[0-9a-fA-F]{40}") ? mirror.commit(ref) : null;
                if (id == null) {
                    mirror.refresh(notBefore);
                    id = mirror.branch(ref);
                    id = id != null ? id : mirror.tag(ref);
                    id = id != null ? id : mirror.commit(ref);
                }
            }
        }
        if (id == null) {
            throw new DeployException("module " + module.name() + " (Puppetfile line " + module.line() + "): ref '"
                    + ref + "' not found in " + Urls.redact(module.url()));
        }
        return new ModuleRecord(module.name(), module.path(), ModuleRecord.GIT, module.url(), ref, id.name(),
                module.excludeSpec());
    }
}
