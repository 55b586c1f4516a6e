package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.source.Source;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The default backend: deploys a plan exactly, in-process with JGit, atomically and incrementally.
 *
 * <p>A plan names the control commit and every module's git commit or Forge release (with its tarball's SHA-256);
 * nothing is resolved here, no ref is read. If the live version was built from the same plan (same digest) there is
 * nothing to do; if a kept version was, the environment's symlink is moved to it and nothing else happens (a
 * rollback downloads nothing). Otherwise a mirror is fetched only when it lacks a commit the plan names (a commit
 * the remote no longer has fails the deploy), a complete new version is built in a staging directory of the
 * environments' file system (control files written straight from git objects, each module directory a relative
 * symbolic link to the {@linkplain ModuleTrees tree of its release}, which every environment with that release shares
 * and which is written once from git or a Forge tarball verified against the plan, then {@code .r10k-deploy.json}) and
 * made live by renaming a symlink. A failure or an interrupt at any point discards the staging directory: the
 * previous version was never touched. The newest {@code keep-versions} versions stay on disk. See
 * {@link EnvironmentStore} for the layout.
 *
 * <p>A FLEET or CANARY plan is {@linkplain #stage staged} the same way but kept beside the live version, the symlink
 * not moved, and made live by {@link #activate} (the symlink alone) when its activation comes.
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
    private final ForgeClient forge;
    private final ParallelTasks tasks;
    private final VersionBuilder versions;

    @Inject
    public NativeDeployer(DeployerSettings settings) {
        this.store = new EnvironmentStore(settings.environmentsDir(), settings.keepVersions());
        this.mirrors = new GitMirrors(settings.cacheDir().resolve("git"), settings.commandTimeout(),
                settings.git());
        this.forge = new ForgeClient(settings.forgeBaseUrl(), settings.cacheDir().resolve("forge"),
                settings.commandTimeout());
        this.controls = new ControlRepositories(settings.sources());
        this.tasks = new ParallelTasks(settings.parallelism(), settings.commandTimeout());
        this.versions = new VersionBuilder(store, mirrors, forge, tasks);
    }

    @Override
    public DeployOutcome deploy(DeployPlan plan) throws DeployException {
        return write(plan, true);
    }

    @Override
    public DeployOutcome stage(DeployPlan plan) throws DeployException {
        return write(plan, false);
    }

    /**
     * Puts the plan's version on disk, live or staged beside the live one: nothing when the live version (or, to
     * stage, a kept one) was built from it; a kept version made live by moving the symlink; else a new version.
     */
    private DeployOutcome write(DeployPlan plan, boolean goLive) throws DeployException {
        long notBefore = System.nanoTime();
        String environment = validEnvironment(plan.environment());
        requirePlanned(plan);
        Attempt attempt = new Attempt(environment, plan);
        try {
            store.requireManageable(environment);
            Optional<EnvironmentStore.Version> live = store.live(environment);
            if (live.isPresent() && plan.digest().equals(live.get().manifest().planDigest())) {
                return kept(plan, true);
            }
            Optional<EnvironmentStore.Version> kept = store.kept(environment, plan.digest());
            if (kept.isPresent()) {
                if (!goLive) {
                    return kept(plan, true);
                }
                store.reactivate(environment, kept.get());
                return kept(plan, false);
            }
            Source source = controls.source(new EnvironmentTarget(environment, plan.source(), null, plan.branch(),
                    plan.commit()));
            Mirror control = mirrors.mirror(source.remote());
            ObjectId commit = controlCommit(control, plan, notBefore);
            tasks.runAll(plan.modules().stream().filter(m -> m.type() == PlannedModule.Type.GIT)
                    .<Callable<Void>>map(m -> () -> {
                        requireModuleCommit(m, notBefore);
                        return null;
                    }).toList());
            return versions.build(plan, attempt.started, control, commit, live, goLive);
        } catch (DeployException e) {
            throw attempt.failed(e);
        } catch (IOException e) {
            throw attempt.failed(new DeployException("cannot switch environment " + environment + ": "
                    + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw attempt.failed(new DeployException(interrupted(environment)));
        }
    }

    @Override
    public DeployOutcome activate(DeployPlan plan) throws DeployException {
        String environment = validEnvironment(plan.environment());
        requirePlanned(plan);
        if (isLive(plan)) {
            return kept(plan, true);
        }
        Optional<EnvironmentStore.Version> staged = store.kept(environment, plan.digest());
        if (staged.isEmpty()) {
            throw new DeployException("environment " + environment + ": plan " + plan.digest()
                    + " is not staged on this master; the live version stays");
        }
        try {
            store.reactivate(environment, staged.get());
        } catch (IOException e) {
            throw new DeployException("cannot switch environment " + environment + ": " + e.getMessage(), e);
        }
        return kept(plan, false);
    }

    @Override
    public boolean isStaged(DeployPlan plan) {
        if (plan.digest() == null || !EnvironmentNames.isValid(plan.environment())) {
            return false;
        }
        return !isLive(plan) && store.kept(plan.environment(), plan.digest()).isPresent();
    }

    /** What a deploy that wrote no module reports: everything reused from a version built from the plan. */
    private static DeployOutcome kept(DeployPlan plan, boolean unchanged) {
        int modules = (int) plan.modules().stream().filter(m -> m.type() != PlannedModule.Type.LOCAL).count();
        return new DeployOutcome(plan.environment(), plan.commit(), new ModuleCounts(0, modules), unchanged,
                plan.digest());
    }

    @Override
    public boolean isLive(DeployPlan plan) {
        if (plan.digest() == null || !EnvironmentNames.isValid(plan.environment())) {
            return false;
        }
        return store.live(plan.environment()).map(v -> plan.digest().equals(v.manifest().planDigest()))
                .orElse(false);
    }

    /** The plan's control commit, fetched only when the mirror lacks it. */
    private ObjectId controlCommit(Mirror control, DeployPlan plan, long notBefore) throws DeployException {
        ObjectId id = control.commit(plan.commit());
        if (id == null) {
            try {
                control.refreshLacking(notBefore);
            } catch (DeployException e) {
                throw new ControlCommitUnreachable(e.getMessage(), e);
            }
            id = control.commit(plan.commit());
        }
        if (id == null) {
            throw new DeployException("environment " + plan.environment() + ": commit " + plan.commit()
                    + " is not in " + Urls.redact(control.url()) + " (any more): the plan cannot be deployed");
        }
        return id;
    }

    /** A git module's pinned commit, fetched only when the mirror lacks it; never a ref. */
    private void requireModuleCommit(PlannedModule module, long notBefore) throws DeployException {
        Mirror mirror = mirrors.mirror(module.source());
        if (mirror.commit(module.sha()) == null) {
            mirror.refreshLacking(notBefore);
            if (mirror.commit(module.sha()) == null) {
                throw new DeployException("module " + module.name() + ": commit " + module.sha() + " is not in "
                        + Urls.redact(module.source()) + " (any more): the plan cannot be deployed");
            }
        }
    }

    /**
     * Refuses a plan that is not PLANNED or does not pin what it must: a plan comes from a topic, and its module
     * paths become directories.
     */
    private static void requirePlanned(DeployPlan plan) throws DeployException {
        if (plan.status() != PlanStatus.PLANNED || plan.digest() == null || plan.commit() == null) {
            throw new DeployException("refusing to deploy: plan " + plan.requestId() + " for " + plan.environment()
                    + " is " + plan.status() + ", not a complete PLANNED plan");
        }
        for (PlannedModule module : plan.modules()) {
            Path path = Path.of(module.path()).normalize();
            boolean inside = !module.path().isBlank() && !path.isAbsolute() && !path.startsWith("..")
                    && !path.toString().isEmpty();
            for (Path part : path) {
                inside &= !part.toString().toLowerCase(Locale.ROOT).equals(".git");
            }
            String missing = switch (module.type()) {
                case GIT -> module.sha() == null ? "a git commit" : null;
                case FORGE -> module.sha256() == null || module.version() == null ? "a release and its SHA-256"
                        : null;
                case LOCAL -> null;
            };
            if (!inside) {
                throw new DeployException("refusing to deploy: module " + module.name() + " of plan "
                        + plan.requestId() + " has path '" + module.path() + "', which leaves the environment");
            }
            if (missing != null) {
                throw new DeployException("refusing to deploy: module " + module.name() + " of plan "
                        + plan.requestId() + " pins no " + missing);
            }
        }
    }

    /**
     * Resolves deploy requests into plans with this deployer's git mirrors, sources, Forge client and module pool,
     * so that planning and deploying on the same host share one fetch.
     */
    public PlanResolver planResolver() {
        return new PlanResolver(mirrors, controls, forge, tasks);
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
        final String commit;
        final List<ModuleRecord> modules;

        Attempt(String environment, DeployPlan plan) {
            this.environment = environment;
            this.commit = plan.commit();
            this.modules = plan.modules().stream().map(VersionBuilder::record).toList();
        }

        DeployException failed(DeployException e) {
            store.recordFailure(environment, R10kDeployFile.render(environment, commit,
                    R10kDeployFile.rubyTime(started), R10kDeployFile.rubyTime(ZonedDateTime.now()), false, modules));
            return e;
        }
    }
}
