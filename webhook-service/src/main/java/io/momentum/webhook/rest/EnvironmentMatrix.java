package io.momentum.webhook.rest;

import io.momentum.webhook.domain.DeployState;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Environment x master: the desired plan (plans topic; the latest request too), how far its rollout is (rollouts
 * topic), the plans a rollback can re-activate, and per master the plan digest and commit it deployed, its status,
 * whether it serves the plan and whether it staged it.
 */
@Schema(name = "EnvironmentMatrix")
public record EnvironmentMatrix(List<String> readyMasters, List<DeployState.EnvironmentRow> environments) {
}
