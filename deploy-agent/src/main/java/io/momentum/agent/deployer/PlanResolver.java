package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.ModuleSpec;
import io.momentum.agent.domain.Puppetfile;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.source.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Turns a request into a {@link DeployPlan}: the control commit and every Puppetfile module pinned, with exactly the
 * rules, mirrors, credentials and Forge the native backend deploys with (r10k's: a git ref becomes the commit it
 * names now, {@code :latest} the Forge's current release, a Forge module without version keeps the version the
 * environment's previous plan has, else the current release). Whatever the native backend would fail the deploy for
 * (a Puppetfile that does not parse, a ref or release that does not exist, a commit the repository lacks) is a
 * FAILED plan carrying the same message, URLs redacted. Nothing is written into any environment.
 *
 * <p>Made by {@link NativeDeployer#planResolver}, so that planning and deploying share the git mirrors (one fetch
 * serves both) and the module pool.
 */
public final class PlanResolver {

    private final GitMirrors mirrors;
    private final ControlRepositories controls;
    private final ModuleResolver resolver;
    private final ForgeClient forge;
    private final ParallelTasks tasks;
    /** Published Forge releases never change: their checksums are asked for once. */
    private final Map<String, ForgeClient.Release> releases = new ConcurrentHashMap<>();

    PlanResolver(GitMirrors mirrors, ControlRepositories controls, ForgeClient forge, ParallelTasks tasks) {
        this.mirrors = mirrors;
        this.controls = controls;
        this.resolver = new ModuleResolver(mirrors, forge);
        this.forge = forge;
        this.tasks = tasks;
    }

    /**
     * Plans an environment at its target's commit, else at its branch head (fetched).
     *
     * @param previous the environment's latest PLANNED plan, or null: Forge modules without a version keep its
     *     version, as r10k keeps the installed one
     * @return a PLANNED plan ({@link Rollout#IMMEDIATE}), or a FAILED one saying why
     * @throws InterruptedException when the planning thread was interrupted (shutdown): nothing was planned
     */
    public DeployPlan plan(UUID requestId, EnvironmentTarget target, DeployPlan previous, Instant at)
            throws InterruptedException {
        long notBefore = System.nanoTime();
        String commit = target.commit();
        try {
            Source source = controls.source(target);
            Mirror control = mirrors.mirror(source.remote());
            ObjectId resolved = controls.resolve(control, target, source, notBefore);
            commit = resolved.name();
            Puppetfile puppetfile = controls.puppetfile(control, resolved, target.environment());
            List<PlannedModule> modules = tasks.runAll(puppetfile.modules().stream()
                    .<Callable<PlannedModule>>map(spec -> () -> pin(spec, target.branch(), previous, notBefore))
                    .toList());
            return DeployPlan.planned(requestId, target.environment(), source.name(), target.branch(), commit,
                    modules, Rollout.IMMEDIATE, at);
        } catch (DeployException e) {
            return DeployPlan.failed(requestId, target.environment(), target.source(), target.branch(), commit,
                    e.getMessage(), at);
        }
    }

    /**
     * Re-resolves one module of a PLANNED plan at the plan's control commit, keeping every other module as pinned
     * (a push to a module's repository).
     *
     * @return the new plan (its digest equals the current one when the module did not move), or a FAILED one
     * @throws InterruptedException when the planning thread was interrupted (shutdown): nothing was planned
     */
    public DeployPlan replanModule(UUID requestId, DeployPlan current, String module, Instant at)
            throws InterruptedException {
        if (current.status() != PlanStatus.PLANNED) {
            throw new IllegalArgumentException("only a PLANNED plan has modules to re-resolve");
        }
        long notBefore = System.nanoTime();
        EnvironmentTarget target = new EnvironmentTarget(current.environment(), current.source(), null,
                current.branch(), current.commit());
        try {
            Source source = controls.source(target);
            Mirror control = mirrors.mirror(source.remote());
            ObjectId commit = controls.resolve(control, target, source, notBefore);
            Puppetfile puppetfile = controls.puppetfile(control, commit, current.environment());
            List<Callable<PlannedModule>> work = new ArrayList<>();
            for (int i = 0; i < puppetfile.modules().size(); i++) {
                ModuleSpec spec = puppetfile.modules().get(i);
                PlannedModule pinned = i < current.modules().size() ? current.modules().get(i) : null;
                boolean keep = !spec.name().equals(module) && pinned != null && pinned.name().equals(spec.name())
                        && pinned.path().equals(spec.path());
                work.add(keep ? () -> pinned : () -> pin(spec, current.branch(), current, notBefore));
            }
            return DeployPlan.planned(requestId, current.environment(), source.name(), current.branch(),
                    commit.name(), tasks.runAll(work), current.rollout(), at);
        } catch (DeployException e) {
            return DeployPlan.failed(requestId, current.environment(), current.source(), current.branch(),
                    current.commit(), e.getMessage(), at);
        }
    }

    private PlannedModule pin(ModuleSpec spec, String branch, DeployPlan previous, long notBefore)
            throws DeployException {
        ModuleRecord module = resolver.resolve(spec, branch, notBefore);
        return switch (module.type()) {
            case ModuleRecord.GIT -> new PlannedModule(module.name(), module.path(), PlannedModule.Type.GIT,
                    Urls.redact(module.source()), module.version(), module.sha(), null, module.excludeSpec());
            case ModuleRecord.FORGE -> {
                String version = module.version() != null ? module.version() : previousVersion(module, previous);
                ForgeClient.Release release = release(module.source(),
                        version != null ? version : forge.latestVersion(module.source()));
                yield new PlannedModule(module.name(), module.path(), PlannedModule.Type.FORGE, module.source(),
                        release.version(), null, release.sha256(), module.excludeSpec());
            }
            default -> new PlannedModule(module.name(), module.path(), PlannedModule.Type.LOCAL, "",
                    module.version(), null, null, false);
        };
    }

    /** The version a Forge module without one has in the environment's previous plan (same path and module). */
    private static String previousVersion(ModuleRecord module, DeployPlan previous) {
        if (previous == null) {
            return null;
        }
        return previous.modules().stream()
                .filter(m -> m.type() == PlannedModule.Type.FORGE && m.path().equals(module.path())
                        && m.source().equals(module.source()))
                .map(PlannedModule::version).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private ForgeClient.Release release(String slug, String version) throws DeployException {
        String key = slug + "-" + version;
        ForgeClient.Release known = releases.get(key);
        if (known == null) {
            known = forge.release(slug, version);
            releases.put(key, known);
        }
        return known;
    }
}
