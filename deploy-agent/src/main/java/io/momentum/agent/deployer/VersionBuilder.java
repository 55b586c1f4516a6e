package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlannedModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Assembles a complete new version of an environment from a plan in a staging directory (control files from git
 * objects, or hard-linked from the live version when only modules changed, each module directory a symbolic link to
 * its release's tree in {@link ModuleTrees}, then {@code .r10k-deploy.json}) and makes it live or keeps it staged. A
 * version thus costs its control files and one link per module. A tree missing from {@code .modules} is written
 * once, from git objects or a Forge tarball checked against the plan's SHA-256 (every object it needs is already in
 * the mirrors: {@link NativeDeployer} fetched what was missing), or from the live version's real directory when that
 * one was deployed before module trees were linked and holds the same release.
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

    /** The plan's module as the manifest and {@code .r10k-deploy.json} record it. */
    static ModuleRecord record(PlannedModule module) {
        return new ModuleRecord(module.name(), module.path(), module.type().name().toLowerCase(Locale.ROOT),
                module.source(), module.version(), module.sha(), module.excludeSpec());
    }

    /**
     * Builds the plan's version and makes it live ({@code goLive}) or keeps it staged beside the live one; the
     * previous version stays live on any failure.
     */
    DeployOutcome build(DeployPlan plan, ZonedDateTime started, Mirror control, ObjectId commit,
            Optional<EnvironmentStore.Version> live, boolean goLive) throws DeployException, InterruptedException {
        List<ModuleRecord> modules = plan.modules().stream().map(VersionBuilder::record).toList();
        int fetched = (int) modules.stream().filter(m -> !m.type().equals(ModuleRecord.LOCAL)).count();
        ModuleTrees trees = store.moduleTrees();
        trees.beginBuild();
        try {
            return build(plan, started, control, commit, live, goLive, modules, fetched);
        } finally {
            trees.endBuild();
            try {
                trees.sweep(store::moduleTreesInUse);
            } catch (IOException e) {
                // Unused module trees only take room; the next sweep removes them.
            }
        }
    }

    private DeployOutcome build(DeployPlan plan, ZonedDateTime started, Mirror control, ObjectId commit,
            Optional<EnvironmentStore.Version> live, boolean goLive, List<ModuleRecord> modules, int fetched)
            throws DeployException, InterruptedException {
        String environment = plan.environment();
        Path staging;
        try {
            staging = store.newStaging(environment);
        } catch (IOException e) {
            throw new DeployException("cannot create a staging directory for " + environment + ": " + e.getMessage(), e);
        }
        try {
            Path code = staging.resolve(EnvironmentStore.CODE);
            writeControlFiles(control, commit, modules, code, live);
            AtomicInteger reused = new AtomicInteger();
            tasks.runAll(plan.modules().stream().filter(m -> m.type() != PlannedModule.Type.LOCAL)
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
            DeployManifest manifest = new DeployManifest(environment, plan.source(), plan.branch(), commit.name(),
                    started.toString(), finished.toString(), modules, plan.digest());
            if (goLive) {
                store.activate(environment, staging, manifest);
            } else {
                store.stage(environment, staging, manifest);
            }
            return new DeployOutcome(environment, commit.name(), new ModuleCounts(fetched - reused.get(), reused.get()),
                    false, plan.digest());
        } catch (IOException e) {
            throw new DeployException("cannot write environment " + environment + ": " + e.getMessage(), e);
        } finally {
            store.discard(staging);
        }
    }

    /**
     * Writes the control repository's files from git objects, or links them from the live version when it has the
     * same control commit and puts its modules at the same paths (a module pushed: the control files are the same).
     */
    private static void writeControlFiles(Mirror control, ObjectId commit, List<ModuleRecord> modules, Path code,
            Optional<EnvironmentStore.Version> live) throws IOException, InterruptedException, DeployException {
        Set<Path> modulePaths = installedPaths(modules);
        if (live.isPresent() && live.get().manifest().commit().equals(commit.name())
                && installedPaths(live.get().manifest().modules()).equals(modulePaths)) {
            FileTrees.link(live.get().code(), code, relative -> modulePaths.contains(relative)
                    || relative.toString().equals(R10kDeployFile.NAME));
        } else {
            TreeWriter.write(control.repository(), commit, code, path -> false);
        }
    }

    /** Where modules that are not the control repository's own are installed. */
    private static Set<Path> installedPaths(List<ModuleRecord> modules) {
        return modules.stream().filter(m -> !m.type().equals(ModuleRecord.LOCAL))
                .map(m -> Path.of(m.path()).normalize()).collect(Collectors.toSet());
    }

    /**
     * Refuses a module path that passes through a symbolic link of the control repository ({@code site -> /etc}
     * with {@code :install_path => 'site'}): the module would be written, and an existing directory there deleted,
     * outside the environment.
     */
    private static void requireRealDirectories(Path code, Path parent, String module) throws DeployException {
        Path at = code;
        for (Path part : code.relativize(parent)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new DeployException("module " + module + ": '" + code.relativize(at) + "' is a symbolic link"
                        + " in the control repository; modules are installed only into real directories of the"
                        + " environment");
            }
        }
    }

    /**
     * Links one module of the new version to its release's tree; true when the live version has the same release
     * (it is reused, whether or not its tree had to be written).
     */
    private boolean install(PlannedModule planned, Path code, Optional<EnvironmentStore.Version> live)
            throws DeployException, IOException, InterruptedException {
        ModuleRecord module = record(planned);
        Path dir = code.resolve(module.path());
        requireRealDirectories(code, dir.getParent(), module.name());
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            // The control repository has files where the Puppetfile puts a module: the module wins, as with r10k.
            FileTrees.delete(dir);
        }
        Files.createDirectories(dir.getParent());
        ModuleRecord previous = live.map(v -> v.manifest().reusable(module)).orElse(null);
        String release = planned.type() == PlannedModule.Type.GIT ? module.sha()
                : module.version() + "@" + planned.sha256();
        String key = ModuleTrees.key(module.type(), module.source(), release, module.excludeSpec());
        Path livePreviously = previous == null ? null : live.get().code().resolve(previous.path());
        if (livePreviously != null && Files.isDirectory(livePreviously, LinkOption.NOFOLLOW_LINKS)) {
            // Deployed before module trees were linked: its files become the tree, nothing is checked out again.
            store.moduleTrees().install(key, dir, tree -> FileTrees.link(livePreviously, tree));
        } else if (planned.type() == PlannedModule.Type.GIT) {
            Predicate<String> skip = module.excludeSpec() ? path -> path.equals("spec") : path -> false;
            ObjectId commit = ObjectId.fromString(module.sha());
            store.moduleTrees().install(key, dir,
                    tree -> TreeWriter.write(mirrors.mirror(module.source()).repository(), commit, tree, skip));
        } else {
            store.moduleTrees().install(key, dir,
                    tree -> ForgeClient.extract(forge.tarball(module.source(), module.version(), planned.sha256()),
                            tree, module.excludeSpec()));
        }
        return previous != null;
    }
}
