package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.view.Json;
import io.momentum.cli.view.StatusView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Environment x master: the commit and plan each master serves, live/staged/behind, the last"
                + " result and its age; then pins, rollouts and planning failures (GET /api/v1/environments)."})
public class StatusCommand extends MomentumCommand {

    @Parameters(paramLabel = "ENV", arity = "0..1", description = "only this environment")
    String environment;

    @Override
    public Integer call() {
        JsonNode matrix = Environments.all(root.api());
        List<JsonNode> rows = environment == null ? Json.list(matrix, "environments")
                : List.of(Environments.row(matrix, environment));
        if (root.json()) {
            root.printJson(out(), environment == null ? matrix : rows.get(0));
        } else {
            out().print(rows.isEmpty() ? "no environment is known yet\n"
                    : StatusView.render(rows, root.clock().instant()));
            out().flush();
        }
        return ExitCode.OK;
    }
}
