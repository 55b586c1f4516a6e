package io.momentum.agent.schedule;

import io.momentum.shared.event.Activation;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.PlanStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The desired state, as {@code momentum.deploy-plans} tells it: the latest plan per environment (a FAILED plan
 * changes nothing: what was desired before stays desired), and how far each FLEET or CANARY rollout is, as
 * {@code momentum.rollouts} tells it (the latest activation per environment). While the topics are replayed they
 * only update it; once caught up the disk is made to match it ({@link DeployScheduler#reconcile}), and every plan
 * and activation read after that is carried out as it comes ({@link DeployScheduler#submit},
 * {@link DeployScheduler#activate}).
 *
 * <p>{@link #accept}, {@link #activate} and {@link #caughtUp} are called from the reader's one thread.
 */
public final class PlanFollower {

    private static final Logger LOG = Logger.getLogger(PlanFollower.class);

    private final DeployScheduler scheduler;
    private final Map<String, DeployPlan> desired = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    public PlanFollower(DeployScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public void accept(DeployPlan plan) {
        if (plan.status() != PlanStatus.FAILED) {
            desired.put(plan.environment(), plan);
        }
        if (caughtUp) {
            scheduler.submit(plan).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.debugf("plan %s for %s not carried out before shutdown: %s", plan.requestId(),
                            plan.environment(), error.getMessage());
                }
            });
        }
    }

    /** An activation: switches the environment's desired plan live here when it says so (once caught up). */
    public void activate(Activation activation) {
        if (!caughtUp) {
            scheduler.remember(activation);
            return;
        }
        scheduler.activate(activation, desired.get(activation.environment())).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.debugf("activation of %s for %s not carried out before shutdown: %s", activation.digest(),
                        activation.environment(), error.getMessage());
            }
        });
    }

    /** The replay is done: make the disk match every desired plan; see {@link DeployScheduler#reconcile}. */
    public CompletableFuture<Void> caughtUp() {
        caughtUp = true;
        return reconcile();
    }

    /** Makes the disk match every desired plan again (after a control repository could not be fetched). */
    public CompletableFuture<Void> reconcile() {
        return scheduler.reconcile(List.copyOf(desired.values()));
    }
}
