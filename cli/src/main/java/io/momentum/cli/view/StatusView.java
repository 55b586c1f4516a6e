package io.momentum.cli.view;

import static io.momentum.cli.view.Json.age;
import static io.momentum.cli.view.Json.flag;
import static io.momentum.cli.view.Json.instant;
import static io.momentum.cli.view.Json.list;
import static io.momentum.cli.view.Json.shortId;
import static io.momentum.cli.view.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code momentum status}: environment x master from {@code GET /api/v1/environments}, then a note per environment
 * that is pinned, rolling out, or failed to plan.
 */
public final class StatusView {

    private StatusView() {
    }

    /** @param environments the rows to show (all of the answer's, or the one asked for) */
    public static String render(List<JsonNode> environments, Instant now) {
        Table table = new Table("ENVIRONMENT", "MASTER", "COMMIT", "PLAN", "STATE", "STATUS", "AGE", "ERROR");
        List<String> notes = new ArrayList<>();
        for (JsonNode environment : environments) {
            String name = text(environment, "environment");
            JsonNode plan = environment.get("plan");
            List<JsonNode> masters = list(environment, "masters");
            if (masters.isEmpty()) {
                table.row(name, "-", shortId(text(plan, "commit"), 8), shortId(text(plan, "digest"), 12), "-",
                        "no master reported", "-", "");
            }
            for (JsonNode master : masters) {
                table.row(name, text(master, "masterId"), shortId(text(master, "deployedCommit"), 8),
                        shortId(text(master, "deployedDigest"), 12), state(master), text(master, "status"),
                        age(instant(master, "finishedAt"), now), oneLine(text(master, "error")));
            }
            notes.addAll(notes(name, environment));
        }
        StringBuilder out = new StringBuilder(table.render());
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n).append('\n'));
        }
        return out.toString();
    }

    /** "live", "staged", "behind" (serves another plan), plus "in sync" spelled out for the eye. */
    static String state(JsonNode master) {
        String planState = text(master, "planState");
        if (planState == null) {
            return flag(master, "inSync") ? "live" : "-";
        }
        return switch (planState) {
            case "LIVE" -> "live";
            case "STAGED" -> "staged";
            default -> "behind";
        };
    }

    static List<String> notes(String name, JsonNode environment) {
        List<String> notes = new ArrayList<>();
        JsonNode plan = environment.get("plan");
        if (plan != null && !plan.isNull()) {
            if (flag(plan, "pinned")) {
                notes.add(name + ": pinned to plan " + shortId(text(plan, "digest"), 12) + " (commit "
                        + shortId(text(plan, "commit"), 8) + ") by a rollback; `momentum unpin " + name
                        + "` deploys the branch head again");
            }
            if ("ABSENT".equals(text(plan, "status"))) {
                notes.add(name + ": branch deleted or no longer deployed; masters purge it");
            }
        }
        JsonNode rollout = environment.get("rollout");
        if (rollout != null && !rollout.isNull()) {
            String phase = text(rollout, "phase");
            String line = name + ": " + String.valueOf(text(rollout, "mode")).toLowerCase() + " rollout of plan "
                    + shortId(text(rollout, "digest"), 12) + ": " + (phase == null ? "staging" : phase);
            List<String> masters = Json.texts(rollout, "masters");
            if (!masters.isEmpty()) {
                line += " (" + String.join(", ", masters) + ")";
            }
            if (text(rollout, "reason") != null) {
                line += ": " + oneLine(text(rollout, "reason"));
            }
            notes.add(line);
        }
        JsonNode failed = environment.get("failedPlan");
        if (failed != null && !failed.isNull()) {
            notes.add(name + ": planning failed, masters keep the plan above: " + oneLine(text(failed, "error")));
        }
        return notes;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
