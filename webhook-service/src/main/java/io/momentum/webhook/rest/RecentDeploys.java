package io.momentum.webhook.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to {@code GET /api/v1/deploys}: recent requests, newest first. */
@Schema(name = "RecentDeploys")
public record RecentDeploys(List<DeployReport.KnownRequest> deploys) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
}
