package io.momentum.agent.schedule;

import io.momentum.agent.deployer.DeployException;
import io.momentum.agent.deployer.DeployOutcome;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.deployer.EnvironmentTarget;
import io.momentum.shared.event.ModuleCounts;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A test double of the deploy engine: remembers what it "deployed", can hold a deploy at a gate until the test
 * releases it, and can fail an environment on demand. Deterministic: no sleeps. In @QuarkusTests it is the backend
 * {@code fake} ({@code %test.momentum.deploy.backend}), chosen like any other.
 */
@Singleton
@Identifier("fake")
public class FakeDeployer implements Deployer {

    /** The commit a target without commit (branch head) deploys to. */
    public static final String HEAD = "0123456789abcdef0123456789abcdef01234567";

    /** Holds deploys of one environment: {@link #started} counts down when one begins, {@link #release} lets go. */
    public static final class Gate {
        public final CountDownLatch started = new CountDownLatch(1);
        public final CountDownLatch release = new CountDownLatch(1);
    }

    private final Map<String, String> deployed = new ConcurrentHashMap<>();
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

    public void markDeployed(String environment, String commit) {
        deployed.put(environment, commit);
    }

    /** What was called, in order: {@code deploy:<env>@<commit>}, {@code module:<env>:<module>}, {@code purge:<env>}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void reset() {
        deployed.clear();
        gates.clear();
        failures.clear();
        calls.clear();
    }

    @Override
    public DeployOutcome deploy(EnvironmentTarget target) throws DeployException {
        String commit = target.commit() == null ? HEAD : target.commit();
        calls.add("deploy:" + target.environment() + "@" + commit);
        hold(target.environment());
        boolean unchanged = commit.equals(deployed.get(target.environment()));
        deployed.put(target.environment(), commit);
        return new DeployOutcome(target.environment(), commit,
                unchanged ? new ModuleCounts(0, 3) : new ModuleCounts(2, 1), unchanged);
    }

    @Override
    public DeployOutcome deployModule(EnvironmentTarget target, String module) throws DeployException {
        calls.add("module:" + target.environment() + ":" + module);
        hold(target.environment());
        return new DeployOutcome(target.environment(), deployed.get(target.environment()), new ModuleCounts(1, 0),
                false);
    }

    @Override
    public void purge(String environment) throws DeployException {
        calls.add("purge:" + environment);
        hold(environment);
        deployed.remove(environment);
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
