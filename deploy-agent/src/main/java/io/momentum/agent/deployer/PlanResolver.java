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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Turns a request into a {@link DeployPlan}: the control commit and every Puppetfile module pinned, with exactly the
 * rules, mirrors, credentials and Forge the native backend deploys with (r10k's: a git ref becomes the commit it
 * names now, {@code :latest} the Forge's current release, a Forge module without version keeps the version the
 * environment's previous plan has, else the current release). Whatever the native backend would fail the deploy for
 * (a Puppetfile that does not parse, a ref or release that does not exist, a commit the repository lacks) is a
 * FAILED plan carrying the same message, URLs redacted, each named once. Nothing is written into any environment.
 *
 * <p>A {@link Resolution} also tells what kind of failure it was: {@linkplain Resolution#transientFailure()
 * transient} when a repository (the control repository or a module's) or the Forge could not be reached (transport,
 * timeout, unknown or unreachable host, authentication or host key refused: what may work later or once an operator
 * fixed the credentials), so that the planner plans again later; otherwise a failure of content (a Puppetfile that
 * does not parse, a branch, ref, commit or release that does not exist in what was fetched fine), which only a new
 * push changes.
 *
 * <p>Made by {@link NativeDeployer#planResolver}, so that planning and deploying share the git mirrors (one fetch
 * serves both) and the module pool.
 */
public final class PlanResolver {

    /** {@code X: X: } (a URL JGit repeats in its own message after ours): said once. */
    private static final Pattern REPEATED = Pattern.compile("(\\S+): \\1: ");

    /**
     * A planning's outcome.
     *
     * @param plan the PLANNED or FAILED plan
     * @param transientFailure FAILED because a repository or the Forge could not be reached: planning again later may
     *     succeed without a push
     */
    public record Resolution(DeployPlan plan, boolean transientFailure) {
    }

    private final GitMirrors mirrors;
    private final ControlRepositories controls;
    private final ModuleResolver resolver;
    private final ForgeClient forge;
    private final ParallelTasks tasks;
    /**
     * Published Forge releases never change: their checksums are asked for once, also when environments planned at
     * the same time want the same release (a cold 30-environment sync asked the Forge 683 times for 240 answers).
     */
    private final Map<String, CompletableFuture<ForgeClient.Release>> releases = new ConcurrentHashMap<>();

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
        return resolve(requestId, target, previous, at).plan();
    }

    /**
     * {@link #plan}, telling a failure to reach a repository or the Forge (transient) from one of content.
     *
     * @throws InterruptedException when the planning thread was interrupted (shutdown): nothing was planned
     */
    public Resolution resolve(UUID requestId, EnvironmentTarget target, DeployPlan previous, Instant at)
            throws InterruptedException {
        return resolve(requestId, target, previous, at, System.nanoTime());
    }

    /**
     * {@link #resolve(UUID, EnvironmentTarget, DeployPlan, Instant)}, counting a fetch of a repository that started
     * at or after {@code freshSince} ({@link System#nanoTime()}) as fresh: one request planning many environments
     * asks each remote once, not once per environment (30 environments x 120 branch modules were 3,600 ref
     * listings per full sync).
     */
    public Resolution resolve(UUID requestId, EnvironmentTarget target, DeployPlan previous, Instant at,
            long freshSince) throws InterruptedException {
        long notBefore = freshSince;
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
            return new Resolution(DeployPlan.planned(requestId, target.environment(), source.name(),
                    target.branch(), commit, modules, Rollout.IMMEDIATE, at), false);
        } catch (DeployException e) {
            requireNotInterrupted();
            return new Resolution(DeployPlan.failed(requestId, target.environment(), target.source(),
                    target.branch(), commit, message(e), at), unreachable(e));
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
        return resolveModule(requestId, current, module, at).plan();
    }

    /**
     * {@link #replanModule}, telling a failure to reach a repository or the Forge (transient) from one of content.
     *
     * @throws InterruptedException when the planning thread was interrupted (shutdown): nothing was planned
     */
    public Resolution resolveModule(UUID requestId, DeployPlan current, String module, Instant at)
            throws InterruptedException {
        return resolveModule(requestId, current, module, at, System.nanoTime());
    }

    /**
     * {@link #resolveModule(UUID, DeployPlan, String, Instant)}, counting a fetch that started at or after
     * {@code freshSince} as fresh (see {@link #resolve(UUID, EnvironmentTarget, DeployPlan, Instant, long)}).
     */
    public Resolution resolveModule(UUID requestId, DeployPlan current, String module, Instant at, long freshSince)
            throws InterruptedException {
        if (current.status() != PlanStatus.PLANNED) {
            throw new IllegalArgumentException("only a PLANNED plan has modules to re-resolve");
        }
        long notBefore = freshSince;
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
            return new Resolution(DeployPlan.planned(requestId, current.environment(), source.name(),
                    current.branch(), commit.name(), tasks.runAll(work), current.rollout(), at), false);
        } catch (DeployException e) {
            requireNotInterrupted();
            return new Resolution(DeployPlan.failed(requestId, current.environment(), current.source(),
                    current.branch(), current.commit(), message(e), at), unreachable(e));
        }
    }

    /**
     * Whether a failure is one of reaching a repository or the Forge: a fetch that failed (JGit's transport and
     * command errors: unreachable, timed out, not found at that URL, authentication or host key refused), a
     * network error or a Forge that kept answering "not now" (HTTP 429, 5xx), anywhere in the causes. A ref,
     * commit or release missing from what was fetched, or a Puppetfile that does not parse, carries none of them.
     */
    static boolean unreachable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof GitAPIException || t instanceof JGitInternalException
                    || t instanceof org.eclipse.jgit.errors.TransportException
                    || t instanceof java.net.SocketException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException
                    || t instanceof javax.net.ssl.SSLException || t instanceof ForgeClient.Unavailable) {
                return true;
            }
        }
        return false;
    }

    /** The failure's message, a URL JGit repeats after ours said once (already redacted where it is built). */
    static String message(DeployException failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return REPEATED.matcher(message).replaceAll("$1: ");
    }

    /** A planning interrupted by shutdown plans nothing, rather than a FAILED plan saying it was interrupted. */
    private static void requireNotInterrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("planning interrupted");
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
        CompletableFuture<ForgeClient.Release> asking = new CompletableFuture<>();
        CompletableFuture<ForgeClient.Release> known = releases.putIfAbsent(key, asking);
        if (known == null) {
            try {
                asking.complete(forge.release(slug, version));
            } catch (DeployException | RuntimeException e) {
                // Not remembered: the next planning asks again (the Forge may answer by then).
                releases.remove(key, asking);
                asking.completeExceptionally(e);
                throw e;
            }
            return asking.join();
        }
        try {
            return known.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DeployException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
