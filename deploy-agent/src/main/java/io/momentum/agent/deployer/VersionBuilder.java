package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.shared.event.ModuleCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Assembles a complete new version of an environment in a staging directory (control files from git objects,
 * unchanged modules hard-linked from the live version, changed ones from git or a Forge tarball, then
 * {@code .r10k-deploy.json}) and makes it live; nothing at all when the live version already has the same content.
 */
final class VersionBuilder {

    private final EnvironmentStore store;
    private final GitMirrors mirrors;
    private final ForgeClient forge;
    private final ParallelTasks tasks;

    VersionBuilder(EnvironmentStore store, GitMirrors mirrors, ForgeClient forge, ParallelTasks tasks) {
        this.store = store;
        this.mirrors = mirrors;
        this.forge = forge;
        this.tasks = tasks;
    }

    /**
     * Makes this content live, unless it already is; the previous version stays live on any failure. Forge modules
     * in {@code resolved} may still lack a version (declared without one): see {@link #withForgeVersions}.
     */
    DeployOutcome build(String environment, ZonedDateTime started, String sourceName, String branch,
            Mirror control, ObjectId commit, List<ModuleRecord> resolved, Optional<EnvironmentStore.Version> live)
            throws DeployException, InterruptedException {
        List<ModuleRecord> modules = withForgeVersions(resolved, live);
        int fetched = (int) modules.stream().filter(m -> !m.type().equals(ModuleRecord.LOCAL)).count();
        if (live.isPresent() && live.get().manifest().sameContent(commit.name(), modules)) {
            return new DeployOutcome(environment, commit.name(), new ModuleCounts(0, fetched), true);
        }
        Path staging;
        try {
            staging = store.newStaging(environment);
        } catch (IOException e) {
            throw new DeployException("cannot create a staging directory for " + environment + ": " + e.getMessage(), e);
        }
        try {
            Path code = staging.resolve(EnvironmentStore.CODE);
            TreeWriter.write(control.repository(), commit, code, path -> false);
            AtomicInteger reused = new AtomicInteger();
            tasks.runAll(modules.stream().filter(m -> !m.type().equals(ModuleRecord.LOCAL))
                    .<Callable<Void>>map(m -> () -> {
                        if (install(m, code, live)) {
                            reused.incrementAndGet();
                        }
                        return null;
                    }).toList());
            ZonedDateTime finished = ZonedDateTime.now();
            Files.writeString(code.resolve(R10kDeployFile.NAME), R10kDeployFile.render(environment, commit.name(),
                    R10kDeployFile.rubyTime(started), R10kDeployFile.rubyTime(finished), true, modules),
                    StandardCharsets.UTF_8);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            DeployManifest manifest = new DeployManifest(environment, sourceName, branch, commit.name(),
                    started.toString(), finished.toString(), modules);
            store.activate(environment, staging, manifest, live.map(EnvironmentStore.Version::name).orElse(null));
            return new DeployOutcome(environment, commit.name(), new ModuleCounts(fetched - reused.get(), reused.get()),
                    false);
        } catch (IOException e) {
            throw new DeployException("cannot write environment " + environment + ": " + e.getMessage(), e);
        } finally {
            store.discard(staging);
        }
    }

    /**
     * Gives each Forge module declared without a version the version the live environment already has (r10k keeps
     * an installed module at its version), or the Forge's current release when it has none.
     */
    private List<ModuleRecord> withForgeVersions(List<ModuleRecord> modules, Optional<EnvironmentStore.Version> live)
            throws DeployException {
        List<ModuleRecord> settled = new ArrayList<>(modules.size());
        for (ModuleRecord module : modules) {
            if (!module.type().equals(ModuleRecord.FORGE) || module.version() != null) {
                settled.add(module);
                continue;
            }
            String installed = live.flatMap(v -> v.manifest().modules().stream()
                    .filter(m -> m.type().equals(ModuleRecord.FORGE) && m.path().equals(module.path())
                            && m.source().equals(module.source()))
                    .map(ModuleRecord::version).findFirst()).orElse(null);
            String version = installed != null ? installed : forge.latestVersion(module.source());
            settled.add(new ModuleRecord(module.name(), module.path(), module.type(), module.source(), version,
                    module.sha(), module.excludeSpec()));
        }
        return settled;
    }

    /** Puts one module into the new version; true when it was reused from the live version. */
    private boolean install(ModuleRecord module, Path code, Optional<EnvironmentStore.Version> live)
            throws DeployException, IOException, InterruptedException {
        Path dir = code.resolve(module.path());
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            // The control repository has files where the Puppetfile puts a module: the module wins, as with r10k.
            FileTrees.delete(dir);
        }
        Files.createDirectories(dir.getParent());
        ModuleRecord previous = live.map(v -> v.manifest().reusable(module)).orElse(null);
        if (previous != null) {
            Path from = live.get().code().resolve(previous.path());
            if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.link(from, dir);
                return true;
            }
        }
        Predicate<String> skip = module.excludeSpec() ? path -> path.equals("spec") : path -> false;
        if (module.type().equals(ModuleRecord.GIT)) {
            TreeWriter.write(mirrors.mirror(module.source()).repository(), ObjectId.fromString(module.sha()), dir, skip);
        } else {
            ForgeClient.extract(forge.tarball(module.source(), module.version()), dir, module.excludeSpec());
        }
        return false;
    }
}
