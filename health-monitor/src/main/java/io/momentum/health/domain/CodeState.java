package io.momentum.health.domain;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.DeployResult;
import io.momentum.shared.event.DeployStatus;
import io.momentum.shared.event.PlanStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which plan every environment should be at (the latest deploy plan per environment) and which plan every master
 * serves (its latest successful deploy results). Desired state is read only from the plans topic and deployed state
 * only from the results topic, and the two are compared only when asked: both topics are compacted and may be
 * replayed in any interleaving, and the outcome depends only on the order within each topic.
 */
final class CodeState {

    /**
     * What an environment should look like: {@code absent}, or the plan's digest and control commit.
     */
    private record Desired(String digest, String commit, boolean absent) {

        static final Desired ABSENT = new Desired(null, null, true);
    }

    /** What a master serves: the digest of the plan it deployed ({@code null} when the result names none). */
    private record Deployed(String digest, String commit) {
    }

    private final Map<String, Desired> desired = new HashMap<>();
    private final Map<String, Map<String, Deployed>> deployed = new HashMap<>();

    void apply(DeployPlan plan) {
        switch (plan.status()) {
            case PLANNED -> desired.put(plan.environment(), new Desired(plan.digest(), plan.commit(), false));
            case ABSENT -> desired.put(plan.environment(), Desired.ABSENT);
            case FAILED -> {
                // Nothing was deployed: the masters keep serving the previous plan, which stays the desired one.
            }
        }
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
        desired.remove(environment);
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
        desired.forEach((environment, wanted) -> {
            if (!matches(wanted, envs.get(environment))) {
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
        desired.forEach((environment, wanted) -> {
            if (!wanted.absent()) {
                names.add(environment);
            }
        });
        List<EnvironmentSync> rows = new ArrayList<>();
        for (String environment : names) {
            Desired wanted = desired.get(environment);
            Deployed actual = envs.get(environment);
            rows.add(new EnvironmentSync(environment,
                    wanted == null ? null : wanted.absent() ? PlanStatus.ABSENT : PlanStatus.PLANNED,
                    wanted == null ? null : wanted.digest(), wanted == null ? null : wanted.commit(),
                    actual == null ? null : actual.digest(), actual == null ? null : actual.commit(),
                    wanted == null || matches(wanted, actual)));
        }
        return rows;
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
