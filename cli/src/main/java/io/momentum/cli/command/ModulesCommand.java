package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import io.momentum.cli.client.MomentumApi;
import io.momentum.cli.view.Json;
import io.momentum.cli.view.ModulesView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "modules", mixinStandardHelpOptions = true,
        description = {"The module versions of ENV's plan (type, version, pinned commit or SHA-256) and, where"
                + " masters serve another plan, which master has which version."})
public class ModulesCommand extends MomentumCommand {

    @Parameters(paramLabel = "ENV", description = "the environment")
    String environment;

    @Override
    public Integer call() {
        JsonNode row = Environments.row(Environments.all(root.api()), environment);
        String desired = Json.text(row.get("plan"), "digest");
        List<ModulesView.MasterPlan> masters = new ArrayList<>();
        for (JsonNode cell : Json.list(row, "masters")) {
            String digest = Json.text(cell, "deployedDigest");
            JsonNode plan = Objects.equals(digest, desired) ? row.get("plan")
                    : planOf(Json.text(cell, "requestId"), digest);
            masters.add(new ModulesView.MasterPlan(Json.text(cell, "masterId"), digest, plan));
        }
        if (root.json()) {
            ObjectNode answer = root.mapper().createObjectNode();
            answer.put("environment", environment);
            answer.set("plan", row.get("plan"));
            var array = answer.putArray("masters");
            for (ModulesView.MasterPlan master : masters) {
                ObjectNode node = array.addObject();
                node.put("masterId", master.masterId());
                node.put("digest", master.digest());
                node.set("modules", master.plan() == null ? null : master.plan().get("modules"));
            }
            root.printJson(out(), answer);
        } else {
            out().print(ModulesView.render(row, masters));
            out().flush();
        }
        return ExitCode.OK;
    }

    /** The plan a master serves, from the report of the request that made it; null when no longer known. */
    private JsonNode planOf(String requestId, String digest) {
        if (requestId == null || digest == null) {
            return null;
        }
        try {
            JsonNode report = root.api().get("/api/v1/deploys/" + MomentumApi.segment(requestId));
            return Json.list(report, "plans").stream().filter(p -> digest.equals(Json.text(p, "digest")))
                    .findFirst().orElse(null);
        } catch (CliException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
