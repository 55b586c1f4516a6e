package io.momentum.webhook.domain;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plans of one environment, in the order {@code momentum.deploy-plans} holds them: the desired plan (the newest
 * PLANNED or ABSENT one: what every master must serve), a newer planning failure if any (the masters keep the
 * desired plan), and the last {@value #KEPT_PLANS} distinct PLANNED plans a rollback may re-activate. Not
 * thread-safe: {@link DeployState} guards it.
 */
final class EnvironmentPlans {

    /** How many distinct plans (by digest) a rollback can choose from. */
    static final int KEPT_PLANS = 10;

    private final String environment;
    private DeployPlan desired;
    private DeployPlan failure;
    /** Newest first, one per digest: a re-activated plan moves to the front. */
    private final List<DeployPlan> history = new ArrayList<>();

    EnvironmentPlans(String environment) {
        this.environment = environment;
    }

    void apply(DeployPlan plan) {
        if (plan.status() == PlanStatus.FAILED) {
            failure = plan;
            return;
        }
        desired = plan;
        failure = null;
        if (plan.status() == PlanStatus.PLANNED) {
            history.removeIf(kept -> kept.digest().equals(plan.digest()));
            history.add(0, plan);
            if (history.size() > KEPT_PLANS) {
                history.remove(history.size() - 1);
            }
        }
    }

    Optional<DeployPlan> desired() {
        return Optional.ofNullable(desired);
    }

    /** The newest planning failure, when no plan came after it. */
    Optional<DeployPlan> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether a module request re-plans the environment: its latest plan is PLANNED, not pinned, uses it. */
    boolean replansModule(String module) {
        return failure == null && desired != null && desired.status() == PlanStatus.PLANNED && !desired.pinned()
                && desired.modules().stream().anyMatch(m -> m.name().equals(module));
    }

    List<DeployPlan> history() {
        return List.copyOf(history);
    }

    /**
     * The plan a rollback re-activates: the one with {@code digest}, or without one the newest kept plan that
     * differs from the desired one.
     */
    PlanChoice rollbackTarget(Optional<String> digest) {
        String current = desired == null ? null : desired.digest();
        if (digest.isPresent()) {
            String wanted = digest.get();
            if (wanted.equals(current)) {
                return new PlanChoice.Refused("plan " + wanted + " is already the desired plan of environment "
                        + environment);
            }
            return history.stream().filter(kept -> kept.digest().equals(wanted)).findFirst()
                    .<PlanChoice>map(PlanChoice.Chosen::new)
                    .orElseGet(() -> new PlanChoice.Unknown("environment " + environment + " has no plan " + wanted
                            + " among its last " + KEPT_PLANS + " plans"));
        }
        return history.stream().filter(kept -> !kept.digest().equals(current)).findFirst()
                .<PlanChoice>map(PlanChoice.Chosen::new)
                .orElseGet(() -> new PlanChoice.Refused("environment " + environment
                        + " has no earlier plan to roll back to"));
    }

    /** The pinned plan an unpin replaces by planning the branch head again. */
    PlanChoice pinned() {
        if (desired == null || !desired.pinned()) {
            return new PlanChoice.Refused("environment " + environment + " is not pinned");
        }
        return new PlanChoice.Chosen(desired);
    }
}
