package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.ControlSource;
import io.momentum.agent.domain.ModuleSpec;
import io.momentum.agent.domain.Puppetfile;
import io.momentum.agent.domain.PuppetfileException;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.ModuleCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

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
public final class NativeDeployer implements Deployer, AutoCloseable {

    private final DeployerSettings settings;
    private final EnvironmentStore store;
    private final GitMirrors mirrors;
    private final ForgeClient forge;
    private final ExecutorService workers;

    public NativeDeployer(DeployerSettings settings) {
        this.settings = settings;
        this.store = new EnvironmentStore(settings.environmentsDir());
        this.mirrors = new GitMirrors(settings.cacheDir().resolve("git"), settings.commandTimeout());
        this.forge = new ForgeClient(settings.forgeBaseUrl(), settings.cacheDir().resolve("forge"),
                settings.commandTimeout());
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, settings.parallelism()), r -> {
            Thread thread = new Thread(r, "momentum-deploy-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public DeployOutcome deploy(EnvironmentTarget target) throws DeployException {
        long notBefore = System.nanoTime();
        String environment = validEnvironment(target.environment());
        Attempt attempt = new Attempt(environment);
        try {
            store.requireManageable(environment);
            ControlSource source = source(target);
            Mirror control = mirrors.mirror(source.remote());
            ObjectId commit = resolveControl(control, target, source, notBefore);
            attempt.commit = commit.name();
            Puppetfile puppetfile = readPuppetfile(control, commit, environment);
            List<ModuleRecord> modules = runAll(puppetfile.modules().stream()
                    .<Callable<ModuleRecord>>map(m -> () -> resolve(m, target.branch(), notBefore)).toList());
            attempt.modules = modules;
            return build(attempt, source, target.branch(), control, commit, modules, store.live(environment));
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
            ControlSource source = source(target);
            Mirror control = mirrors.mirror(source.remote());
            ObjectId commit = ObjectId.fromString(manifest.commit());
            Puppetfile puppetfile = readPuppetfile(control, commit, environment);
            List<Callable<ModuleRecord>> tasks = new ArrayList<>();
            for (int i = 0; i < puppetfile.modules().size(); i++) {
                ModuleSpec spec = puppetfile.modules().get(i);
                ModuleRecord current = i < manifest.modules().size() ? manifest.modules().get(i) : null;
                boolean keep = !spec.name().equals(module) && current != null && current.path().equals(spec.path());
                tasks.add(keep ? () -> current : () -> resolve(spec, manifest.branch(), notBefore));
            }
            List<ModuleRecord> modules = runAll(tasks);
            attempt.modules = modules;
            return build(attempt, source, manifest.branch(), control, commit, modules, live);
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
    public void close() {
        workers.shutdownNow();
        mirrors.close();
    }

    private DeployOutcome build(Attempt attempt, ControlSource source, String branch, Mirror control, ObjectId commit,
            List<ModuleRecord> modules, Optional<EnvironmentStore.Version> live)
            throws DeployException, InterruptedException {
        String environment = attempt.environment;
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
            runAll(modules.stream().filter(m -> !m.type().equals(ModuleRecord.LOCAL))
                    .<Callable<Void>>map(m -> () -> {
                        if (install(m, code, live)) {
                            reused.incrementAndGet();
                        }
                        return null;
                    }).toList());
            ZonedDateTime finished = ZonedDateTime.now();
            Files.writeString(code.resolve(R10kDeployFile.NAME), R10kDeployFile.render(environment, commit.name(),
                    R10kDeployFile.rubyTime(attempt.started), R10kDeployFile.rubyTime(finished), true, modules),
                    StandardCharsets.UTF_8);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            DeployManifest manifest = new DeployManifest(environment, source.name(), branch, commit.name(),
                    attempt.started.toString(), finished.toString(), modules);
            store.activate(environment, staging, manifest, live.map(EnvironmentStore.Version::name).orElse(null));
            return new DeployOutcome(environment, commit.name(), new ModuleCounts(fetched - reused.get(), reused.get()),
                    false);
        } catch (IOException e) {
            throw new DeployException("cannot write environment " + environment + ": " + e.getMessage(), e);
        } finally {
            store.discard(staging);
        }
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

    private ModuleRecord resolve(ModuleSpec spec, String branch, long notBefore) throws DeployException {
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

    private ObjectId resolveControl(Mirror control, EnvironmentTarget target, ControlSource source, long notBefore)
            throws DeployException {
        if (target.branch() == null || target.branch().isEmpty()) {
            throw new DeployException("environment " + target.environment() + ": no branch given");
        }
        ObjectId id = target.commit() == null ? null : control.commit(target.commit());
        if (id == null) {
            control.refresh(notBefore);
            id = target.commit() == null ? control.branch(target.branch()) : control.commit(target.commit());
        }
        if (id == null) {
            throw new DeployException(target.commit() == null
                    ? "branch '" + target.branch() + "' does not exist in " + Urls.redact(source.remote())
                    : "commit " + target.commit() + " does not exist in " + Urls.redact(source.remote()));
        }
        requireNoCollision(control, target, source);
        return id;
    }

    /** Two branches mapping to one environment ({@code feature-x}, {@code feature_x}) fail that environment only. */
    private void requireNoCollision(Mirror control, EnvironmentTarget target, ControlSource source)
            throws DeployException {
        List<String> claimants = new ArrayList<>();
        try {
            for (Ref ref : control.repository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                String branch = ref.getName().substring(Constants.R_HEADS.length());
                try {
                    if (EnvironmentNames.fromBranch(branch, source.prefix()).equals(target.environment())) {
                        claimants.add(branch);
                    }
                } catch (InvalidNameException e) {
                    // A branch with no valid environment name claims none.
                }
            }
        } catch (IOException e) {
            throw new DeployException("cannot list branches of " + Urls.redact(source.remote()) + ": " + e.getMessage(), e);
        }
        if (claimants.size() > 1) {
            throw new DeployException("environment " + target.environment() + " is claimed by branches "
                    + String.join(" and ", claimants) + "; rename one of them");
        }
    }

    private Puppetfile readPuppetfile(Mirror control, ObjectId commit, String environment) throws DeployException {
        try {
            byte[] content = TreeWriter.readFile(control.repository(), commit, "Puppetfile");
            return content == null ? new Puppetfile(null, Puppetfile.DEFAULT_MODULEDIR, List.of())
                    : Puppetfile.parse(content);
        } catch (PuppetfileException e) {
            throw new DeployException("environment " + environment + " at " + commit.abbreviate(8).name() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new DeployException("cannot read the Puppetfile of " + environment + ": " + e.getMessage(), e);
        }
    }

    /** The configured source the target names (by name, else by URL); any source when none is configured. */
    private ControlSource source(EnvironmentTarget target) throws DeployException {
        if (settings.sources().isEmpty()) {
            if (target.remote() == null) {
                throw new DeployException("environment " + target.environment() + ": no repository URL");
            }
            return new ControlSource(target.source() == null ? "control" : target.source(), target.remote(), null);
        }
        for (ControlSource source : settings.sources()) {
            if (source.name().equals(target.source())) {
                return source;
            }
        }
        for (ControlSource source : settings.sources()) {
            if (source.remote().equals(target.remote())) {
                return source;
            }
        }
        throw new DeployException("environment " + target.environment() + ": source '" + target.source()
                + "' is not configured");
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

    /**
     * Runs tasks on the worker pool and waits for all of them. On the first failure, or when the calling thread is
     * interrupted, the others are interrupted and awaited before this returns, so that nobody writes into a staging
     * directory that is about to be deleted.
     */
    private <T> List<T> runAll(List<Callable<T>> tasks) throws DeployException, InterruptedException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        CountDownLatch finished = new CountDownLatch(tasks.size());
        AtomicBoolean aborted = new AtomicBoolean();
        Set<Thread> running = ConcurrentHashMap.newKeySet();
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(workers.submit(() -> {
                Thread self = Thread.currentThread();
                try {
                    synchronized (running) {
                        if (aborted.get()) {
                            throw new InterruptedException("aborted");
                        }
                        running.add(self);
                    }
                    return task.call();
                } finally {
                    synchronized (running) {
                        running.remove(self);
                        Thread.interrupted();
                    }
                    finished.countDown();
                }
            }));
        }
        List<T> results = new ArrayList<>(tasks.size());
        try {
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            abort(aborted, running, finished);
            Throwable cause = e.getCause();
            if (cause instanceof DeployException deploy) {
                throw deploy;
            }
            if (cause instanceof InterruptedException || cause instanceof java.io.InterruptedIOException) {
                throw new InterruptedException();
            }
            throw new DeployException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            abort(aborted, running, finished);
            throw e;
        }
    }

    private void abort(AtomicBoolean aborted, Set<Thread> running, CountDownLatch finished) {
        synchronized (running) {
            aborted.set(true);
            running.forEach(Thread::interrupt);
        }
        boolean interrupted = Thread.interrupted();
        try {
            finished.await(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
