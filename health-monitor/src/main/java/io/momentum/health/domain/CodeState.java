package io.momentum.health.domain;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.event.Rollout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Which plan every environment should be at and which plan every master serves (its latest successful deploy
 * results). Desired state is read only from the plans and rollouts topics and deployed state only from the results
 * topic, and the two are compared only when asked: the topics are compacted and may be replayed in any interleaving,
 * and the outcome depends only on the order within each topic.
 *
 * <p>What a master should serve is the environment's latest plan, except while a FLEET or CANARY plan is rolled out:
 * a master the latest activation of that plan's digest does not activate should still serve the plan before it that
 * was fully activated (or IMMEDIATE, or ABSENT), so staging a plan takes no master out of strict routing.
 */
final class CodeState {

    /** How many plans of one environment are remembered to find the one a rollout replaces. */
    static final int PLAN_HISTORY = 100;

    /**
     * What an environment should look like: {@code absent}, or the plan's digest and control commit.
     */
    private record Desired(UUID requestId, String digest, String commit, Rollout rollout, boolean absent) {

        static Desired of(DeployPlan plan) {
            return new Desired(plan.requestId(), plan.digest(), plan.commit(), plan.rollout(),
                    plan.status() == PlanStatus.ABSENT);
        }

        /** Every master is to serve it as soon as it is the latest plan. */
        boolean immediate() {
            return absent || rollout == Rollout.IMMEDIATE;
        }
    }

    /** What a master serves: the digest of the plan it deployed ({@code null} when the result names none). */
    private record Deployed(String digest, String commit) {
    }

    /** Per environment its plans, oldest first; the last is the latest. */
    private final Map<String, Deque<Desired>> plans = new HashMap<>();
    private final Map<String, Activation> activations = new HashMap<>();
    private final Set<UUID> fullyActivated = new HashSet<>();
    private final Map<String, Map<String, Deployed>> deployed = new HashMap<>();

    void apply(DeployPlan plan) {
        if (plan.status() == PlanStatus.FAILED) {
            // Nothing was deployed: the masters keep serving the previous plan, which stays the desired one.
            return;
        }
        Deque<Desired> history = plans.computeIfAbsent(plan.environment(), env -> new ArrayDeque<>());
        history.addLast(Desired.of(plan));
        if (history.size() > PLAN_HISTORY) {
            history.removeFirst();
        }
    }

    /** The latest activation of an environment: which masters are to serve its plan being rolled out. */
    void apply(Activation activation) {
        activations.put(activation.environment(), activation);
        if (activation.phase() == Activation.Phase.ALL) {
            fullyActivated.add(activation.requestId());
        }
    }

    /** A tombstone on the rollouts topic. */
    void forgetActivation(String environment) {
        activations.remove(environment);
    }

    void apply(DeployResult result) {
        if (result.status() == DeployStatus.PURGED) {
            forgetDeployment(result.masterId(), result.environment());
            return;
        }
        if (result.status() != DeployStatus.SUCCEEDED) {
            // A failed or superseded deploy leaves the previous version live: nothing changed on the master.
            return;
        }
        deployed.computeIfAbsent(result.masterId(), id -> new HashMap<>())
                .put(result.environment(), new Deployed(result.planDigest(), result.commit()));
    }

    /** A tombstone on the plans topic: nothing is desired of the environment any more. */
    void forgetEnvironment(String environment) {
        plans.remove(environment);
    }

    /** A tombstone on the results topic: nothing is known about the environment on the master any more. */
    void forgetDeployment(String masterId, String environment) {
        Map<String, Deployed> envs = deployed.get(masterId);
        if (envs != null) {
            envs.remove(environment);
        }
    }

    /**
     * The environments in which {@code masterId} differs from the desired state, sorted: at another plan, missing,
     * or still present although the environment must be absent. Environments without a known desired plan are not
     * judged.
     */
    List<String> laggingEnvironments(String masterId) {
        Map<String, Deployed> envs = deployed.getOrDefault(masterId, Map.of());
        TreeSet<String> lagging = new TreeSet<>();
        plans.keySet().forEach(environment -> {
            Desired wanted = target(masterId, environment);
            if (wanted != null && !matches(wanted, envs.get(environment))) {
                lagging.add(environment);
            }
        });
        return List.copyOf(lagging);
    }

    /**
     * Every environment worth showing for {@code masterId}, sorted: each one with a desired plan, each one the master
     * serves, and an absent one only while the master still has it.
     */
    List<EnvironmentSync> environments(String masterId) {
        Map<String, Deployed> envs = deployed.getOrDefault(masterId, Map.of());
        TreeSet<String> names = new TreeSet<>(envs.keySet());
        plans.keySet().forEach(environment -> {
            Desired wanted = target(masterId, environment);
            if (wanted != null && !wanted.absent()) {
                names.add(environment);
            }
        });
        List<EnvironmentSync> rows = new ArrayList<>();
        for (String environment : names) {
            Desired wanted = target(masterId, environment);
            Deployed actual = envs.get(environment);
            rows.add(new EnvironmentSync(environment,
                    wanted == null ? null : wanted.absent() ? PlanStatus.ABSENT : PlanStatus.PLANNED,
                    wanted == null ? null : wanted.digest(), wanted == null ? null : wanted.commit(),
                    actual == null ? null : actual.digest(), actual == null ? null : actual.commit(),
                    wanted == null || matches(wanted, actual)));
        }
        return rows;
    }

    /**
     * The plan {@code masterId} should serve in {@code environment} now, or {@code null} when none is known: no plan
     * yet, or a rollout in progress that has not activated the master and no earlier plan known to be fully
     * activated.
     */
    private Desired target(String masterId, String environment) {
        Deque<Desired> history = plans.get(environment);
        if (history == null || history.isEmpty()) {
            return null;
        }
        Desired latest = history.peekLast();
        Activation activation = activations.get(environment);
        if (latest.immediate() || activation != null && activation.digest().equals(latest.digest())
                && activation.activates(masterId)) {
            return latest;
        }
        Iterator<Desired> older = history.descendingIterator();
        older.next();
        while (older.hasNext()) {
            Desired previous = older.next();
            if (previous.immediate() || fullyActivated.contains(previous.requestId())) {
                return previous;
            }
        }
        return null;
    }

    private static boolean matches(Desired wanted, Deployed actual) {
        if (wanted.absent() || actual == null) {
            return wanted.absent() && actual == null;
        }
        if (wanted.digest() != null && actual.digest() != null) {
            return wanted.digest().equals(actual.digest());
        }
        // r10k/g10k results and results from before plans name no digest: the control commit is all they tell.
        return wanted.commit() != null && wanted.commit().equals(actual.commit());
    }
}
