package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.ModuleSpec;
import io.momentum.agent.domain.Puppetfile;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.source.Source;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The default backend: r10k's job done in-process with JGit, atomically and incrementally.
 *
 * <p>Each deploy fetches the control repository's and the modules' bare mirrors (once per deploy, shared with
 * concurrent deploys), resolves every Puppetfile module to a commit or Forge version, and compares that with the
 * live version's manifest: identical means nothing to do. Otherwise it builds a complete new version in a staging
 * directory of the environments' file system (control files written straight from git objects, unchanged modules
 * hard-linked from the live version, changed ones written from git or a verified Forge tarball, then
 * {@code .r10k-deploy.json}) and makes it live by renaming a symlink. A failure or an interrupt at any point
 * discards the staging directory: the previous version was never touched. See {@link EnvironmentStore} for the
 * layout.
 *
 * <p>Unlike r10k the environment holds no {@code .git} directory: Puppet Server does not need one, and the
 * deployed commit is in {@code .r10k-deploy.json} ({@code signature}).
 */
@Singleton
@Identifier("native")
public final class NativeDeployer implements Deployer, AutoCloseable {

    private final EnvironmentStore store;
    private final GitMirrors mirrors;
    private final ControlRepositories controls;
    private final ModuleResolver resolver;
    private final ParallelTasks tasks;
    private final VersionBuilder versions;

    @Inject
    public NativeDeployer(DeployerSettings settings) {
        this.store = new EnvironmentStore(settings.environmentsDir());
        this.mirrors = new GitMirrors(settings.cacheDir().resolve("git"), settings.commandTimeout(),
                settings.git());
        ForgeClient forge = new ForgeClient(settings.forgeBaseUrl(), settings.cacheDir().resolve("forge"),
                settings.commandTimeout());
        this.controls = new ControlRepositories(settings.sources());
        this.resolver = new ModuleResolver(mirrors, forge);
        this.tasks = new ParallelTasks(settings.parallelism(), settings.commandTimeout());
        this.versions = new VersionBuilder(store, mirrors, forge, tasks);
    }

    @Override
    public DeployOutcome deploy(EnvironmentTarget target) throws DeployException {
        long notBefore = System.nanoTime();
        String environment = validEnvironment(target.environment());
        Attempt attempt = new Attempt(environment);
        try {
            store.requireManageable(environment);
            Source source = controls.source(target);
            Mirror control = mirrors.mirror(source.remote());
            ObjectId commit = controls.resolve(control, target, source, notBefore);
            attempt.commit = commit.name();
            Puppetfile puppetfile = controls.puppetfile(control, commit, environment);
            List<ModuleRecord> modules = tasks.runAll(puppetfile.modules().stream()
                    .<Callable<ModuleRecord>>map(m -> () -> resolver.resolve(m, target.branch(), notBefore))
                    .toList());
            attempt.modules = modules;
            return versions.build(environment, attempt.started, source.name(), target.branch(), control,
                    commit, modules, store.live(environment));
        } catch (DeployException e) {
            throw attempt.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw attempt.failed(new DeployException(interrupted(environment)));
        }
    }

    @Override
    public DeployOutcome deployModule(EnvironmentTarget target, String module) throws DeployException {
        String environment = validEnvironment(target.environment());
        try {
            EnvironmentNames.requireValidModule(module);
        } catch (InvalidNameException e) {
            throw new DeployException("cannot deploy module: " + e.getMessage());
        }
        Optional<EnvironmentStore.Version> live = store.live(environment);
        if (live.isEmpty()) {
            return deploy(target);
        }
        long notBefore = System.nanoTime();
        DeployManifest manifest = live.get().manifest();
        if (manifest.modules().stream().noneMatch(m -> m.name().equals(module))) {
            return new DeployOutcome(environment, manifest.commit(), ModuleCounts.NONE, true);
        }
        Attempt attempt = new Attempt(environment);
        attempt.commit = manifest.commit();
        try {
            Source source = controls.source(target);
            Mirror control = mirrors.mirror(source.remote());
            ObjectId commit = ObjectId.fromString(manifest.commit());
            Puppetfile puppetfile = controls.puppetfile(control, commit, environment);
            List<Callable<ModuleRecord>> work = new ArrayList<>();
            for (int i = 0; i < puppetfile.modules().size(); i++) {
                ModuleSpec spec = puppetfile.modules().get(i);
                ModuleRecord current = i < manifest.modules().size() ? manifest.modules().get(i) : null;
                boolean keep = !spec.name().equals(module) && current != null && current.path().equals(spec.path());
                work.add(keep ? () -> current : () -> resolver.resolve(spec, manifest.branch(), notBefore));
            }
            List<ModuleRecord> modules = tasks.runAll(work);
            attempt.modules = modules;
            return versions.build(environment, attempt.started, source.name(), manifest.branch(), control,
                    commit, modules, live);
        } catch (DeployException e) {
            throw attempt.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw attempt.failed(new DeployException(interrupted(environment)));
        }
    }

    /**
     * One-step rollback: makes the version that was live before the current one live again, atomically. Calling it
     * again rolls forward. Not part of {@link Deployer}: only this backend keeps versions.
     *
     * @return the control commit now live
     */
    public String rollback(String environment) throws DeployException {
        String valid = validEnvironment(environment);
        try {
            return store.rollback(valid).map(v -> v.manifest().commit()).orElseThrow(() -> new DeployException(
                    "environment " + valid + " has no previous version to roll back to"));
        } catch (IOException e) {
            throw new DeployException("cannot roll back environment " + valid + ": " + e.getMessage(), e);
        }
    }

    /**
     * Resolves deploy requests into plans with this deployer's git mirrors, sources and module pool, so that
     * planning and deploying share one fetch. {@code settings} are those this deployer was made with; the Forge
     * client built from them holds nothing worth sharing (a plan reads release metadata, never tarballs).
     */
    public PlanResolver planResolver(DeployerSettings settings) {
        return new PlanResolver(mirrors, controls, new ForgeClient(settings.forgeBaseUrl(),
                settings.cacheDir().resolve("forge"), settings.commandTimeout()), tasks);
    }

    @Override
    public void purge(String environment) throws DeployException {
        String valid = validEnvironment(environment);
        try {
            store.purge(valid);
        } catch (IOException e) {
            throw new DeployException("cannot purge environment " + valid + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> deployedEnvironments() {
        return store.deployed();
    }

    @Override
    @PreDestroy
    public void close() {
        tasks.close();
        mirrors.close();
    }

    /** The source as {@link VersionBuilder} records it in the manifest (its name). */

    private static String validEnvironment(String environment) throws DeployException {
        try {
            return EnvironmentNames.requireValid(environment);
        } catch (InvalidNameException e) {
            throw new DeployException("refusing to deploy: " + e.getMessage());
        }
    }

    private static String interrupted(String environment) {
        return "deploy of " + environment + " was interrupted; the previous version stays live";
    }

    /** One deploy attempt, so that a failure can be recorded truthfully beside the environment. */
    private final class Attempt {

        final String environment;
        final ZonedDateTime started = ZonedDateTime.now();
        String commit;
        List<ModuleRecord> modules = List.of();

        Attempt(String environment) {
            this.environment = environment;
        }

        DeployException failed(DeployException e) {
            store.recordFailure(environment, R10kDeployFile.render(environment, commit,
                    R10kDeployFile.rubyTime(started), R10kDeployFile.rubyTime(ZonedDateTime.now()), false, modules));
            return e;
        }
    }
}
