package io.momentum.agent.deployer;

import io.momentum.agent.deployer.DeployManifest.ModuleRecord;
import io.momentum.agent.deployer.GitMirrors.Mirror;
import io.momentum.agent.domain.ModuleSpec;
import io.momentum.agent.domain.Puppetfile;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlannedModule;
import io.momentum.shared.event.Rollout;
import io.momentum.shared.source.Source;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Plans for tests that drive the native deployer from a Puppetfile: resolves a target the way the planner does,
 * with the deployer's own resolution classes ({@link ControlRepositories}, {@link ModuleResolver},
 * {@link ForgeClient}), in a cache of its own under {@code <cacheDir>/planner} (as if on another host), so the
 * deployer fetches what a plan names itself. A Forge module declared without a version keeps the version of the
 * environment's previous plan (r10k keeps what is installed), else gets the Forge's current release.
 */
public final class TestPlans implements AutoCloseable {

    private final GitMirrors mirrors;
    private final ForgeClient forge;
    private final ControlRepositories controls;
    private final ModuleResolver resolver;
    private final Map<String, DeployPlan> previous = new ConcurrentHashMap<>();

    public TestPlans(DeployerSettings settings) {
        this.mirrors = new GitMirrors(settings.cacheDir().resolve("planner/git"), settings.commandTimeout(),
                settings.git());
        this.forge = new ForgeClient(settings.forgeBaseUrl(), settings.cacheDir().resolve("planner/forge"),
                settings.commandTimeout());
        this.controls = new ControlRepositories(settings.sources());
        this.resolver = new ModuleResolver(mirrors, forge);
    }

    public static EnvironmentTarget target(String environment, String source, String branch) {
        return new EnvironmentTarget(environment, source, null, branch, null);
    }

    /** A plan of a control commit without modules (what the r10k and g10k backends can follow of a plan). */
    public static DeployPlan ofCommit(String environment, String branch, String commit) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", branch, commit, List.of(),
                Rollout.IMMEDIATE, Instant.now());
    }

    /** The plan of the target's commit (its branch head when it has none). */
    public DeployPlan plan(EnvironmentTarget target) throws DeployException {
        long notBefore = System.nanoTime();
        Source source = controls.source(target);
        Mirror control = mirrors.mirror(source.remote());
        ObjectId commit = controls.resolve(control, target, source, notBefore);
        Puppetfile puppetfile = controls.puppetfile(control, commit, target.environment());
        List<PlannedModule> modules = new ArrayList<>();
        for (ModuleSpec spec : puppetfile.modules()) {
            modules.add(pinned(target.environment(), resolver.resolve(spec, target.branch(), notBefore)));
        }
        DeployPlan plan = DeployPlan.planned(UUID.randomUUID(), target.environment(), source.name(), target.branch(),
                commit.name(), modules, Rollout.IMMEDIATE, Instant.now());
        previous.put(target.environment(), plan);
        return plan;
    }

    private PlannedModule pinned(String environment, ModuleRecord module) throws DeployException {
        PlannedModule.Type type = PlannedModule.Type.valueOf(module.type().toUpperCase(Locale.ROOT));
        if (type != PlannedModule.Type.FORGE) {
            return new PlannedModule(module.name(), module.path(), type, module.source(), module.version(),
                    module.sha(), null, module.excludeSpec());
        }
        String version = module.version() != null ? module.version() : previousVersion(environment, module);
        try {
            return new PlannedModule(module.name(), module.path(), type, module.source(), version, null,
                    ForgeClient.sha256(forge.tarball(module.source(), version)), module.excludeSpec());
        } catch (IOException e) {
            throw new DeployException("cannot read the tarball of " + module.source() + ": " + e.getMessage(), e);
        }
    }

    private String previousVersion(String environment, ModuleRecord module) throws DeployException {
        DeployPlan before = previous.get(environment);
        String kept = before == null ? null : before.modules().stream()
                .filter(m -> m.type() == PlannedModule.Type.FORGE && m.path().equals(module.path())
                        && m.source().equals(module.source()))
                .map(PlannedModule::version).findFirst().orElse(null);
        return kept != null ? kept : forge.latestVersion(module.source());
    }

    @Override
    public void close() {
        mirrors.close();
    }
}
