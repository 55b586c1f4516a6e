package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.view.MastersView;
import picocli.CommandLine.Command;

@Command(name = "masters", mixinStandardHelpOptions = true,
        description = "Every master's health, whether it serves every environment's plan, whether the load balancer"
                + " routes to it, and why not (GET /api/v1/masters).")
public class MastersCommand extends MomentumCommand {

    @Override
    public Integer call() {
        JsonNode masters = root.api().get("/api/v1/masters");
        if (root.json()) {
            root.printJson(out(), masters);
        } else {
            out().print(MastersView.render(masters, root.clock().instant()));
            out().flush();
        }
        return ExitCode.OK;
    }
}
