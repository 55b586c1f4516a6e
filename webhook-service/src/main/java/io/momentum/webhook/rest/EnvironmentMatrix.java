package io.momentum.webhook.rest;

import io.momentum.webhook.domain.DeployState;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Environment x master: desired commit (requests topic), deployed commit, status. */
@Schema(name = "EnvironmentMatrix")
public record EnvironmentMatrix(List<String> readyMasters, List<DeployState.EnvironmentRow> environments) {
}
