package io.momentum.cli.view;

import static io.momentum.cli.view.Json.age;
import static io.momentum.cli.view.Json.flag;
import static io.momentum.cli.view.Json.instant;
import static io.momentum.cli.view.Json.list;
import static io.momentum.cli.view.Json.shortId;
import static io.momentum.cli.view.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code momentum history ENV}: recent deploy reports, newest first, each with its per-master results. */
public final class HistoryView {

    private HistoryView() {
    }

    public static String render(String environment, JsonNode answer, Instant now) {
        List<JsonNode> deploys = list(answer, "deploys");
        if (deploys.isEmpty()) {
            return "no deploy of " + environment + " is known\n";
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode deploy : deploys) {
            JsonNode request = deploy.get("request");
            Optional<Instant> at = instant(request, "requestedAt").or(() -> list(deploy, "plans").stream()
                    .map(p -> instant(p, "plannedAt")).flatMap(Optional::stream).findFirst());
            out.append(age(at, now)).append(" ago  ").append(shortId(text(deploy, "requestId"), 8)).append("  ")
                    .append(what(deploy)).append("  ").append(text(deploy, "outcome"));
            if (text(deploy, "error") != null) {
                out.append(": ").append(StatusView.oneLine(text(deploy, "error")));
            } else if (text(deploy, "summary") != null) {
                out.append(": ").append(StatusView.oneLine(text(deploy, "summary")));
            }
            out.append('\n');
            Table results = new Table("  MASTER", "STATUS", "DURATION", "COMMIT", "PLAN", "ERROR");
            for (JsonNode result : list(deploy, "results")) {
                if (!environment.equals(text(result, "environment"))) {
                    continue;
                }
                boolean current = Json.flag(result, "unchanged");
                results.row("  " + text(result, "masterId"), current ? "already current" : text(result, "status"),
                        current ? "-" : Json.duration(result.path("durationMs").asLong()),
                        shortId(text(result, "commit"), 8),
                        shortId(text(result, "planDigest"), 12), StatusView.oneLine(text(result, "error")));
            }
            for (String pending : Json.texts(deploy, "pendingMasters")) {
                results.row("  " + pending, "PENDING", "-", "-", "-", "");
            }
            if (!results.isEmpty()) {
                out.append(results.render());
            }
        }
        return out.toString();
    }

    /** "push main by alice (github)", "manual deploy", "rollback to plan ...", "full sync". */
    static String what(JsonNode deploy) {
        JsonNode request = deploy.get("request");
        if (request == null || request.isNull()) {
            JsonNode plan = list(deploy, "plans").stream().findFirst().orElse(null);
            // No request: a rollback's plan, or one the planner made by itself (catch-up after its replay).
            return (flag(plan, "pinned") ? "rollback to plan " : "planned ") + shortId(text(plan, "digest"), 12)
                    + " (branch " + text(plan, "branch") + " @ " + shortId(text(plan, "commit"), 8) + ")";
        }
        String provider = text(request, "provider");
        String pusher = text(request, "pusher");
        String kind = text(request, "kind");
        String subject = "FULL_SYNC".equals(kind) ? "full sync"
                : "MODULE".equals(kind) ? "module " + text(request, "module")
                : "branch " + text(request, "branch") + (text(request, "commit") == null ? ""
                        : " @ " + shortId(text(request, "commit"), 8));
        String how = "manual".equals(provider) ? ("unpin".equals(pusher) ? "unpin" : "manual") : "push";
        return how + " " + subject + (pusher == null || "unpin".equals(pusher) ? "" : " by " + pusher)
                + (provider == null || "manual".equals(provider) ? "" : " (" + provider + ")");
    }
}
