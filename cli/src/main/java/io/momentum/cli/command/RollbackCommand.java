package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.client.MomentumApi;
import io.momentum.cli.view.Json;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Re-activate an earlier plan of ENV on every master and pin the environment to it"
                + " (POST /api/v1/environments/ENV/rollback).",
                "Without --plan: the previous plan (a second rollback undoes the first). `momentum unpin ENV`"
                        + " ends the pin."})
public class RollbackCommand extends MomentumCommand {

    @Parameters(paramLabel = "ENV", description = "the environment")
    String environment;

    @Option(names = "--plan", paramLabel = "DIGEST",
            description = "the plan to re-activate (64 hex; `momentum status -o json` lists the history)")
    String plan;

    @Option(names = "--wait", description = "follow every master's result until all reported")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = WaitDuration.class,
            description = "how long --wait waits (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        ObjectNode body = root.mapper().createObjectNode();
        if (plan != null) {
            body.put("plan", plan);
        }
        JsonNode accepted = root.api().post("/api/v1/environments/" + MomentumApi.segment(environment)
                + "/rollback", body);
        if (await) {
            return DeployWatch.follow(root, out(), accepted, List.of(environment), timeout);
        }
        if (root.json()) {
            root.printJson(out(), accepted);
        } else {
            JsonNode report = Json.list(accepted, "requests").stream().findFirst().orElse(null);
            JsonNode reactivated = Json.list(report, "plans").stream().findFirst().orElse(null);
            out().println("rollback of " + environment + " requested (request " + Json.text(accepted, "requestId")
                    + (reactivated == null ? "" : ", plan " + Json.shortId(Json.text(reactivated, "digest"), 12)
                            + ", commit " + Json.shortId(Json.text(reactivated, "commit"), 8))
                    + "); it stays pinned until `momentum unpin " + environment + "`");
        }
        return ExitCode.OK;
    }
}
