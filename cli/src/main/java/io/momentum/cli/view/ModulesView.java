package io.momentum.cli.view;

import static io.momentum.cli.view.Json.list;
import static io.momentum.cli.view.Json.shortId;
import static io.momentum.cli.view.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code momentum modules ENV}: the module versions of the environment's plan, and per module which masters serve
 * another version where they differ (a master behind, staged or left out of a rollout).
 */
public final class ModulesView {

    /** A master and the plan it serves: {@code plan} null when its modules are not known. */
    public record MasterPlan(String masterId, String digest, JsonNode plan) {
    }

    private ModulesView() {
    }

    public static String render(JsonNode environmentRow, List<MasterPlan> masters) {
        String environment = text(environmentRow, "environment");
        JsonNode desired = environmentRow.get("plan");
        if (desired == null || desired.isNull()) {
            return "no plan for " + environment + " yet\n";
        }
        String desiredDigest = text(desired, "digest");
        StringBuilder out = new StringBuilder();
        out.append(environment).append(": plan ").append(shortId(desiredDigest, 12)).append(", commit ")
                .append(shortId(text(desired, "commit"), 8)).append(", branch ").append(text(desired, "branch"))
                .append('\n');

        // module name -> variant (type, version, pin) -> masters serving it, in plan order
        Map<String, Map<String, List<String>>> variants = new LinkedHashMap<>();
        Map<String, String[]> cells = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> everyone = new ArrayList<>();
        for (JsonNode module : list(desired, "modules")) {
            variants.put(text(module, "name"), new LinkedHashMap<>());
        }
        for (MasterPlan master : masters) {
            JsonNode plan = Objects.equals(master.digest(), desiredDigest) ? desired : master.plan();
            if (plan == null) {
                unknown.add(master.masterId() + " (plan " + shortId(master.digest(), 12) + ")");
                continue;
            }
            everyone.add(master.masterId());
            for (JsonNode module : list(plan, "modules")) {
                String name = text(module, "name");
                String[] row = {text(module, "type"), text(module, "version"), pin(module)};
                String key = String.join("\u0000", row);
                cells.put(name + "\u0000" + key, row);
                variants.computeIfAbsent(name, n -> new LinkedHashMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>()).add(master.masterId());
            }
        }
        if (masters.isEmpty()) {
            for (JsonNode module : list(desired, "modules")) {
                String[] row = {text(module, "type"), text(module, "version"), pin(module)};
                String key = String.join("\u0000", row);
                cells.put(text(module, "name") + "\u0000" + key, row);
                variants.get(text(module, "name")).put(key, List.of());
            }
        }
        Table table = new Table("MODULE", "TYPE", "VERSION", "PIN", "MASTERS");
        variants.forEach((name, byVariant) -> byVariant.forEach((key, serving) -> {
            String[] row = cells.get(name + "\u0000" + key);
            String who = serving.isEmpty() ? "none yet" : byVariant.size() == 1 && serving.equals(everyone) ? "all"
                    : String.join(", ", serving);
            table.row(name, row[0].toLowerCase(), row[1], row[2], who);
        }));
        out.append(table.isEmpty() ? "no modules in the Puppetfile\n" : table.render());
        if (!unknown.isEmpty()) {
            out.append("\nmodules not known for ").append(String.join(", ", unknown))
                    .append(": their plan is no longer in the server's memory\n");
        }
        return out.toString();
    }

    /** The git commit, else the Forge tarball's SHA-256, shortened. */
    static String pin(JsonNode module) {
        String sha = text(module, "sha");
        return sha != null ? shortId(sha, 12) : text(module, "sha256") != null
                ? "sha256:" + shortId(text(module, "sha256"), 12) : "-";
    }
}
