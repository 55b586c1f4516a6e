package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.client.MomentumApi;
import io.momentum.cli.view.HistoryView;
import io.momentum.cli.view.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Recent deploys of ENV, newest first, with each master's result"
                + " (GET /api/v1/deploys?environment=ENV).")
public class HistoryCommand extends MomentumCommand {

    @Parameters(paramLabel = "ENV", description = "the environment")
    String environment;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
            description = "how many deploys, 1 to 200 (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 200) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit takes 1 to 200");
        }
        JsonNode deploys = root.api().get("/api/v1/deploys?environment=" + MomentumApi.segment(environment)
                + "&limit=" + limit);
        if (Json.list(deploys, "deploys").isEmpty()) {
            // Not found rather than an empty history when the environment is no environment at all.
            Environments.row(Environments.all(root.api()), environment);
        }
        if (root.json()) {
            root.printJson(out(), deploys);
        } else {
            out().print(HistoryView.render(environment, deploys, root.clock().instant()));
            out().flush();
        }
        return ExitCode.OK;
    }
}
