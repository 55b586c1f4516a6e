import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Prints the quickstart's status: environment x master (the desired plan's digest, commit and pin, how far its
 * FLEET or CANARY rollout is; per master the plan it serves, whether that is the desired one or only staged), each
 * master's health and routing, then what each load balancer serves. Reads the services' JSON answers from the
 * environment variables ENVIRONMENTS, MASTERS and BACKENDS. Run with the JDK's single-file launcher and Jackson on
 * the class path.
 */
public final class StatusTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        printEnvironments(parse("ENVIRONMENTS"));
        System.out.println();
        printMasters(parse("MASTERS"));
        System.out.println();
        printBackends(parse("BACKENDS"));
    }

    private static void printEnvironments(JsonNode answer) {
        JsonNode rows = answer.path("environments");
        if (!rows.isArray()) {
            System.out.println("environments: webhook-service did not answer");
            return;
        }
        TreeSet<String> masterIds = new TreeSet<>();
        rows.forEach(row -> row.path("masters").forEach(cell -> masterIds.add(cell.path("masterId").asText())));
        List<String> header = new ArrayList<>(List.of("ENVIRONMENT", "PLAN", "COMMIT", "PINNED", "ROLLOUT"));
        header.addAll(masterIds);
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        List<String> failures = new ArrayList<>();
        List<String> modules = new ArrayList<>();
        for (JsonNode row : rows) {
            JsonNode plan = row.path("plan");
            if (plan.path("modules").size() > 0) {
                List<String> pinned = new ArrayList<>();
                plan.path("modules").forEach(m -> pinned.add(m.path("name").asText() + " " + text(m, "version")
                        + (m.path("sha").isTextual() ? " @" + shortSha(m.path("sha")) : "")));
                modules.add("  " + row.path("environment").asText() + ": " + String.join(", ", pinned));
            }
            List<String> line = new ArrayList<>(List.of(row.path("environment").asText()));
            if (plan.isObject()) {
                line.addAll(List.of(plan.path("status").asText().equals("ABSENT") ? "(absent)"
                        : shortSha(plan.path("digest")), shortSha(plan.path("commit")),
                        plan.path("pinned").asBoolean() ? "yes" : "no", rollout(row, answer.path("readyMasters"))));
            } else {
                // Not planned yet (or agents without the planner): what was last requested. A full sync
                // ({"all": true}) names no commit: each master deploys the branch head it fetches.
                line.addAll(List.of("-", row.path("deleted").asBoolean() ? "(deleted)"
                        : row.path("desiredCommit").isTextual() ? shortSha(row.path("desiredCommit")) : "(head)",
                        "-", "-"));
            }
            for (String master : masterIds) {
                line.add(cell(row.path("masters"), master));
            }
            table.add(line);
            JsonNode failed = row.path("failedPlan");
            if (failed.isObject()) {
                failures.add(row.path("environment").asText() + ": planning failed, the masters keep serving the plan above: "
                        + text(failed, "error"));
            }
        }
        print(table);
        if (!modules.isEmpty()) {
            System.out.println("modules of each plan (a master at another plan says so above):");
            modules.forEach(System.out::println);
        }
        failures.forEach(System.out::println);
    }

    /**
     * How far the desired plan's rollout is, "-" for an IMMEDIATE plan: how many READY masters staged it before the
     * activation, which masters switched (canary, batches), how many serve it once all switch, or why it halted.
     */
    private static String rollout(JsonNode row, JsonNode readyMasters) {
        JsonNode rollout = row.path("rollout");
        if (!rollout.isObject()) {
            return "-";
        }
        String mode = rollout.path("mode").asText().toLowerCase(Locale.ROOT);
        List<String> ready = new ArrayList<>();
        readyMasters.forEach(m -> ready.add(m.asText()));
        List<String> switched = new ArrayList<>();
        rollout.path("masters").forEach(m -> switched.add(m.asText()));
        return switch (text(rollout, "phase")) {
            case "-" -> mode + ": staging " + count(row, ready, "STAGED", "LIVE") + "/" + ready.size();
            case "CANARY" -> mode + ": " + String.join(", ", switched) + " soaking";
            case "BATCH" -> mode + ": " + switched.size() + "/" + ready.size() + " switched, soaking";
            case "ALL" -> mode + ": " + count(row, ready, "LIVE") + "/" + ready.size() + " live";
            case "HALTED" -> "halted: " + text(rollout, "reason");
            default -> mode + ": " + text(rollout, "phase");
        };
    }

    /** How many of the {@code ready} masters are in one of {@code planStates} with the environment's plan. */
    private static long count(JsonNode row, List<String> ready, String... planStates) {
        List<String> wanted = List.of(planStates);
        long n = 0;
        for (JsonNode cell : row.path("masters")) {
            if (ready.contains(cell.path("masterId").asText()) && wanted.contains(cell.path("planState").asText())) {
                n++;
            }
        }
        return n;
    }

    /**
     * What the master serves (plan digest, else commit): "ok" when that is the environment's plan, "STAGED" when it
     * wrote the plan but still serves the previous one (a rollout waits for its activation), "other plan" when it
     * deployed another one successfully, else its result's status.
     */
    private static String cell(JsonNode cells, String masterId) {
        for (JsonNode cell : cells) {
            if (cell.path("masterId").asText().equals(masterId)) {
                JsonNode served = cell.path("deployedDigest").isTextual() ? cell.path("deployedDigest")
                        : cell.path("deployedCommit");
                String status = cell.path("status").asText("-");
                return shortSha(served) + " " + (cell.path("inSync").asBoolean() ? "ok"
                        : cell.path("planState").asText().equals("STAGED") ? "STAGED"
                        : status.equals("SUCCEEDED") ? "other plan" : status);
            }
        }
        return "-";
    }

    private static void printMasters(JsonNode statuses) {
        if (!statuses.isArray()) {
            System.out.println("masters: health-monitor did not answer");
            return;
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("MASTER", "ROLE", "HEALTH", "IN SYNC", "ROUTABLE", "LB ADDRESS", "REASON"));
        for (JsonNode s : statuses) {
            table.add(List.of(text(s, "masterId"), text(s, "role"), text(s, "health"), yesNo(s, "inSync"),
                    yesNo(s, "routable"), text(s, "lbAddress"), text(s, "reason")));
        }
        print(table);
    }

    private static void printBackends(JsonNode answer) {
        if (!answer.has("backends")) {
            System.out.println("load balancer: lb-config-service did not answer");
            return;
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("LOAD BALANCER", "SERVING", "LAST ATTEMPT", "REVISION", "ERROR"));
        answer.path("backends").properties().forEach(backend -> {
            List<String> live = new ArrayList<>();
            backend.getValue().path("live").forEach(server -> live.add(server.path("masterId").asText()
                    + (server.path("draining").asBoolean() ? " (draining)" : "")));
            JsonNode attempt = backend.getValue().path("lastAttempt");
            table.add(List.of(answer.path("lbId").asText() + "/" + backend.getKey(), String.join(", ", live),
                    text(attempt, "result"), text(attempt, "revision"), text(attempt, "error")));
        });
        print(table);
        if (!answer.path("caughtUp").asBoolean()) {
            System.out.println("(still replaying momentum.master-status)");
        }
    }

    private static void print(List<List<String>> table) {
        int columns = table.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : table) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    /** The answer in environment variable {@code name}, or a missing node when the service did not answer. */
    private static JsonNode parse(String name) {
        String json = System.getenv(name);
        try {
            return json == null || json.isBlank() ? JSON.missingNode() : JSON.readTree(json);
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    private static String shortSha(JsonNode sha) {
        return sha.isTextual() ? sha.asText().substring(0, Math.min(10, sha.asText().length())) : "-";
    }

    private static String yesNo(JsonNode node, String field) {
        return node.path(field).asBoolean() ? "yes" : "no";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
