package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.ModuleSpec;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Resolves a Puppetfile module to exactly what gets installed: a git commit, a Forge version, or a directory the
 * control repository already holds, with r10k's rules.
 *
 * <p>A git module's wanted ref is tried first, then {@code :default_branch_override}, then {@code :default_branch};
 * each is read as git reads any ref (tag, branch, then commit id), whichever option named it. A mirror is fetched
 * only when the name is not already a tag or a commit it holds (tags and commits never move).
 *
 * <p>A Forge module declared without a version resolves to no version yet: {@link VersionBuilder} keeps the version
 * the live environment has (r10k keeps what is installed) and asks the Forge only when there is none.
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
            String version = module.version() != null ? module.version()
                    : module.latest() ? forge.latestVersion(module.slug()) : null;
            return new ModuleRecord(module.name(), module.path(), ModuleRecord.FORGE, module.slug(), version, null,
                    module.excludeSpec());
        }
        return new ModuleRecord(spec.name(), spec.path(), ModuleRecord.LOCAL, "", "0.0.0 (local)", null, false);
    }

    private ModuleRecord resolveGit(ModuleSpec.Git module, String branch, long notBefore) throws DeployException {
        Mirror mirror = mirrors.mirror(module.url());
        List<String> candidates = module.candidates(branch);
        for (String ref : candidates) {
            if (!mirror.holdsFixed(ref)) {
                mirror.refresh(notBefore);
            }
            ObjectId id = mirror.resolve(ref);
            if (id != null) {
                return new ModuleRecord(module.name(), module.path(), ModuleRecord.GIT, module.url(), ref, id.name(),
                        module.excludeSpec());
            }
        }
        String fallbacks = candidates.size() == 1 ? "" : ", nor the default branch " + String.join(", ",
                candidates.subList(1, candidates.size()).stream().map(r -> "'" + r + "'").toList());
        throw new DeployException("module " + module.name() + " (Puppetfile line " + module.line() + "): ref '"
                + candidates.get(0) + "' not found" + fallbacks + " in " + Urls.redact(module.url()));
    }
}
