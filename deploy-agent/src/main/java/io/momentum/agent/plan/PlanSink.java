package io.momentum.agent.plan;

import io.momentum.shared.event.DeployPlan;
import java.util.concurrent.CompletionStage;

/** Where plans go: {@code momentum.deploy-plans}. The stage completes once every in-sync replica stored the plan. */
@FunctionalInterface
public interface PlanSink {

    CompletionStage<Void> publish(DeployPlan plan);
}
