package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.view.LoadBalancersView;
import picocli.CommandLine.Command;

@Command(name = "lb", mixinStandardHelpOptions = true,
        description = "What each load balancer serves and its last changes (GET /api/v1/load-balancers).")
public class LoadBalancersCommand extends MomentumCommand {

    @Override
    public Integer call() {
        JsonNode balancers = root.api().get("/api/v1/load-balancers");
        if (root.json()) {
            root.printJson(out(), balancers);
        } else {
            out().print(LoadBalancersView.render(balancers, root.clock().instant()));
            out().flush();
        }
        return ExitCode.OK;
    }
}
