package io.momentum.agent.schedule;

import io.momentum.agent.deployer.ControlCommitUnreachable;
import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.DeployOutcome;
import io.momentum.agent.deployer.Deployer;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.ModuleCounts;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A test double of the deploy engine: remembers which plan it "deployed" per environment, can hold a deploy at a gate
 * until the test releases it, and can fail an environment on demand (also as "control repository unreachable").
 * Deterministic: no sleeps. In @QuarkusTests it is the backend {@code fake} ({@code %test.momentum.deploy.backend}),
 * chosen like any other.
 */
@Singleton
@Identifier("fake")
public class FakeDeployer implements Deployer {

    /** Holds deploys of one environment: {@link #started} counts down when one begins, {@link #release} lets go. */
    public static final class Gate {
        public final CountDownLatch started = new CountDownLatch(1);
        public final CountDownLatch release = new CountDownLatch(1);
    }

    private final Map<String, String> deployed = new ConcurrentHashMap<>();
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    /** Digests staged (or kept) per environment, beside the live one. */
    private final Map<String, Set<String>> staged = new ConcurrentHashMap<>();
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public Gate gate(String environment) {
        Gate gate = new Gate();
        gates.put(environment, gate);
        return gate;
    }

    public void failWith(String environment, String message) {
        failures.put(environment, message);
    }

    /** Fails deploys of the environment as a control repository that cannot be fetched does, until cleared. */
    public void unreachable(String environment, String message) {
        unreachable.put(environment, message);
    }

    public void reachable(String environment) {
        unreachable.remove(environment);
    }

    /** An environment on disk from before plans (no digest). */
    public void markDeployed(String environment, String commit) {
        deployed.put(environment, commit);
        digests.remove(environment);
    }

    /** An environment serving this plan already. */
    public void markLive(DeployPlan plan) {
        deployed.put(plan.environment(), plan.commit());
        digests.put(plan.environment(), plan.digest());
    }

    /** A version built from this plan on disk, not live (staged before a restart). */
    public void markStaged(DeployPlan plan) {
        staged.computeIfAbsent(plan.environment(), e -> ConcurrentHashMap.newKeySet()).add(plan.digest());
    }

    /**
     * What was called, in order: {@code deploy:<env>@<commit>}, {@code stage:<env>@<commit>},
     * {@code activate:<env>@<commit>}, {@code purge:<env>}.
     */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void reset() {
        deployed.clear();
        digests.clear();
        staged.clear();
        unreachable.clear();
        gates.clear();
        failures.clear();
        calls.clear();
    }

    @Override
    public DeployOutcome deploy(DeployPlan plan) throws DeployException {
        String environment = plan.environment();
        calls.add("deploy:" + environment + "@" + plan.commit());
        hold(environment);
        String cause = unreachable.get(environment);
        if (cause != null) {
            throw new ControlCommitUnreachable(cause, null);
        }
        boolean unchanged = isLive(plan);
        markLive(plan);
        return new DeployOutcome(environment, plan.commit(),
                unchanged ? new ModuleCounts(0, 3) : new ModuleCounts(2, 1), unchanged, plan.digest());
    }

    @Override
    public boolean isLive(DeployPlan plan) {
        return plan.digest() != null && plan.digest().equals(digests.get(plan.environment()));
    }

    @Override
    public DeployOutcome stage(DeployPlan plan) throws DeployException {
        String environment = plan.environment();
        calls.add("stage:" + environment + "@" + plan.commit());
        hold(environment);
        String cause = unreachable.get(environment);
        if (cause != null) {
            throw new ControlCommitUnreachable(cause, null);
        }
        boolean unchanged = isLive(plan) || isStaged(plan);
        markStaged(plan);
        return new DeployOutcome(environment, plan.commit(),
                unchanged ? new ModuleCounts(0, 3) : new ModuleCounts(2, 1), unchanged, plan.digest());
    }

    @Override
    public boolean isStaged(DeployPlan plan) {
        return !isLive(plan) && staged.getOrDefault(plan.environment(), Set.of()).contains(plan.digest());
    }

    /** Moves the "symlink": no gate, no failure, as fast as a rename. */
    @Override
    public DeployOutcome activate(DeployPlan plan) throws DeployException {
        calls.add("activate:" + plan.environment() + "@" + plan.commit());
        if (isLive(plan)) {
            return new DeployOutcome(plan.environment(), plan.commit(), new ModuleCounts(0, 3), true, plan.digest());
        }
        if (!isStaged(plan)) {
            throw new DeployException("plan " + plan.digest() + " is not staged");
        }
        String previous = digests.get(plan.environment());
        markLive(plan);
        if (previous != null) {
            staged.get(plan.environment()).add(previous);
        }
        staged.get(plan.environment()).remove(plan.digest());
        return new DeployOutcome(plan.environment(), plan.commit(), new ModuleCounts(0, 3), false, plan.digest());
    }

    @Override
    public void purge(String environment) throws DeployException {
        calls.add("purge:" + environment);
        hold(environment);
        deployed.remove(environment);
        digests.remove(environment);
        staged.remove(environment);
    }

    @Override
    public Map<String, String> deployedEnvironments() {
        return new TreeMap<>(deployed);
    }

    private void hold(String environment) throws DeployException {
        Gate gate = gates.get(environment);
        if (gate != null) {
            gate.started.countDown();
            try {
                gate.release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("deploy of " + environment + " interrupted");
            }
        }
        String failure = failures.get(environment);
        if (failure != null) {
            throw new DeployException(failure);
        }
    }
}
