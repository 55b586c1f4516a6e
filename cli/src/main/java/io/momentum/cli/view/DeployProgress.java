package io.momentum.cli.view;

import static io.momentum.cli.view.Json.list;
import static io.momentum.cli.view.Json.shortId;
import static io.momentum.cli.view.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a deploy (or rollback, or unpin) stands, per environment and master, from its requests' reports
 * ({@code GET /api/v1/deploys/{id}}): one {@link Line} per master and environment, notes on rollouts, and whether
 * it is over and went well.
 */
public final class DeployProgress {

    public enum State {
        QUEUED(false), DEPLOYING(false), STAGED(false), SUCCEEDED(true), CURRENT(true), PURGED(true), FAILED(false),
        SUPERSEDED(false), PLANNING_FAILED(false), HALTED(false);

        final boolean success;

        State(boolean success) {
            this.success = success;
        }

        boolean settled() {
            return this != QUEUED && this != DEPLOYING && this != STAGED;
        }
    }

    /** @param masterId "-" for a line about the whole environment (planning failed) */
    public record Line(String environment, String masterId, State state, String detail) {

        public String text() {
            String what = switch (state) {
                case QUEUED -> "queued";
                case DEPLOYING -> "deploying";
                case STAGED -> "staged, waiting for the rollout to switch it";
                case SUCCEEDED -> "succeeded" + (detail == null ? "" : " in " + detail);
                case CURRENT -> "already current";
                case PURGED -> "purged (branch deleted)";
                case FAILED -> "failed: " + detail;
                case SUPERSEDED -> "superseded by a newer deploy";
                case PLANNING_FAILED -> "planning failed, every master keeps what it serves: " + detail;
                case HALTED -> "not switched, rollout halted: " + detail;
            };
            return String.format("%-14s %-10s %s", environment, masterId, what);
        }
    }

    /**
     * @param complete the server says every request is over (every ready master reported, or it failed)
     * @param nothingToDo the server's summaries of requests that changed nothing ("nothing to do: ...")
     */
    public record Snapshot(List<Line> lines, List<String> notes, boolean complete, List<String> nothingToDo) {

        /**
         * Every master of every environment succeeded, was already current or purged a deleted branch; or the
         * server says there was nothing to do.
         */
        public boolean succeeded() {
            return complete && (!lines.isEmpty() || !nothingToDo.isEmpty())
                    && lines.stream().allMatch(l -> l.state().success);
        }

        /** The closing lines: what went wrong, or how many masters succeeded. */
        public List<String> summary(boolean timedOut) {
            List<String> summary = new ArrayList<>();
            long ok = lines.stream().filter(l -> l.state().success).count();
            List<Line> masterLines = lines.stream().filter(l -> !l.masterId().equals("-")).toList();
            if (succeeded()) {
                long current = lines.stream().filter(l -> l.state() == State.CURRENT).count();
                if (lines.isEmpty()) {
                    summary.add("OK: " + String.join("; ", nothingToDo));
                    return summary;
                }
                summary.add("OK: " + ok + " of " + masterLines.size() + " deploys succeeded ("
                        + environments().size() + " environment" + (environments().size() == 1 ? "" : "s") + ")"
                        + (current == 0 ? "" : ", " + current + " already current"));
                summary.addAll(nothingToDo);
                return summary;
            }
            if (timedOut) {
                List<String> waiting = lines.stream().filter(l -> !l.state().settled())
                        .map(l -> l.masterId() + " " + l.environment()).toList();
                summary.add("TIMED OUT waiting for " + (waiting.isEmpty() ? "the server" : String.join(", ",
                        waiting)));
                if (lines.stream().anyMatch(l -> l.environment().equals("all") && l.state() == State.QUEUED)) {
                    // The planner answers a full sync with a plan for every environment a source deploys.
                    summary.add("nothing was planned for the full sync: the planner is down or no source deploys a"
                            + " branch; `momentum status` shows what every master serves");
                }
            }
            for (Line line : lines) {
                if (line.state().settled() && !line.state().success) {
                    summary.add("FAILED " + line.text().replaceAll("\\s+", " "));
                }
            }
            summary.add(ok + " of " + masterLines.size() + " deploys succeeded");
            return summary;
        }

        Set<String> environments() {
            Set<String> environments = new LinkedHashSet<>();
            lines.forEach(l -> environments.add(l.environment()));
            return environments;
        }
    }

    private DeployProgress() {
    }

    /**
     * @param reports one per request: a known request's report, or {@code null} while the server has not read the
     *     request back yet
     * @param requested the environments asked for ("all" for a full sync), shown as queued until a report names them
     * @param readyMasters the masters the server expects a result from
     */
    public static Snapshot of(List<JsonNode> reports, List<String> requested, List<String> readyMasters) {
        Map<String, Line> lines = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<String> nothingToDo = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        boolean complete = !reports.isEmpty();
        for (JsonNode report : reports) {
            if (report == null) {
                complete = false;
                continue;
            }
            complete &= Json.flag(report, "complete");
            addLines(report, readyMasters, lines, reported, notes);
            if (text(report, "summary") != null) {
                nothingToDo.add(text(report, "summary"));
            }
        }
        for (String environment : requested) {
            if (!reported.contains(environment) && !(environment.equals("all") && !reported.isEmpty())) {
                for (String master : readyMasters) {
                    lines.put(environment + "/" + master, new Line(environment, master, State.QUEUED, null));
                }
            }
        }
        return new Snapshot(List.copyOf(lines.values()), notes, complete, List.copyOf(nothingToDo));
    }

    private static void addLines(JsonNode report, List<String> readyMasters, Map<String, Line> lines,
            Set<String> reported, List<String> notes) {
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode result : list(report, "results")) {
            results.put(text(result, "environment") + "/" + text(result, "masterId"), result);
        }
        Set<String> masters = new LinkedHashSet<>(readyMasters);
        list(report, "results").forEach(r -> masters.add(text(r, "masterId")));
        boolean failed = "FAILED".equals(text(report, "outcome"));
        List<JsonNode> plans = list(report, "plans");
        if (plans.isEmpty() && text(report, "summary") == null) {
            JsonNode request = report.get("request");
            String environment = "FULL_SYNC".equals(text(request, "kind")) ? "all" : text(request, "environment");
            if (environment != null) {
                reported.add(environment);
                for (String master : readyMasters) {
                    lines.put(environment + "/" + master, new Line(environment, master, failed ? State.FAILED
                            : State.QUEUED, failed ? text(report, "error") : null));
                }
            }
        }
        for (JsonNode plan : plans) {
            String environment = text(plan, "environment");
            reported.add(environment);
            if ("FAILED".equals(text(plan, "status"))) {
                lines.put(environment + "/-", new Line(environment, "-", State.PLANNING_FAILED, text(plan, "error")));
                continue;
            }
            for (String master : masters) {
                JsonNode result = results.get(environment + "/" + master);
                lines.put(environment + "/" + master, line(environment, master, result, failed, text(report,
                        "error")));
            }
        }
        for (JsonNode rollout : list(report, "rollouts")) {
            String phase = text(rollout, "phase");
            notes.add(text(rollout, "environment") + ": " + String.valueOf(text(rollout, "mode")).toLowerCase()
                    + " rollout of plan " + shortId(text(rollout, "digest"), 12) + ": "
                    + (phase == null ? "staging on every master" : phase + " " + Json.texts(rollout, "masters"))
                    + (text(rollout, "reason") == null ? "" : " (" + text(rollout, "reason") + ")"));
        }
    }

    private static Line line(String environment, String master, JsonNode result, boolean requestFailed,
            String requestError) {
        String status = text(result, "status");
        if (status == null) {
            return requestFailed ? new Line(environment, master, State.HALTED, requestError)
                    : new Line(environment, master, State.DEPLOYING, null);
        }
        return switch (status) {
            // An unchanged result found the master at the plan already: its few milliseconds deployed nothing.
            case "SUCCEEDED" -> Json.flag(result, "unchanged") ? new Line(environment, master, State.CURRENT, null)
                    : new Line(environment, master, State.SUCCEEDED,
                            Json.duration(result.path("durationMs").asLong()));
            case "STAGED" -> requestFailed ? new Line(environment, master, State.HALTED, requestError)
                    : new Line(environment, master, State.STAGED, null);
            case "FAILED" -> new Line(environment, master, State.FAILED, text(result, "error"));
            case "SUPERSEDED" -> new Line(environment, master, State.SUPERSEDED, null);
            case "PURGED" -> new Line(environment, master, State.PURGED, null);
            default -> new Line(environment, master, State.DEPLOYING, null);
        };
    }
}
