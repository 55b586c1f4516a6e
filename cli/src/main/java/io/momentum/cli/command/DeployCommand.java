package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.view.Json;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy environments on every master (POST /api/v1/deploys), like puppet code deploy.",
                "With --wait: one line per master (queued, deploying, succeeded in N s, already current, failed:"
                        + " error), then a summary; exit 0 only if every master succeeded or was already current."})
public class DeployCommand extends MomentumCommand {

    @Parameters(paramLabel = "ENV", arity = "0..*", description = "environments to deploy")
    List<String> environments = List.of();

    @Option(names = "--all", description = "every branch of every control repository (a full sync)")
    boolean all;

    @Option(names = "--wait", description = "follow every master's result until all reported")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = WaitDuration.class,
            description = "how long --wait waits: 90s, 5m, PT2M (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        if (all == !environments.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give environments or --all (not both)");
        }
        ObjectNode body = root.mapper().createObjectNode();
        if (all) {
            body.put("all", true);
        } else {
            environments.forEach(body.putArray("environments")::add);
        }
        JsonNode accepted = root.api().post("/api/v1/deploys", body);
        List<String> requested = all ? List.of("all") : environments;
        if (await) {
            return DeployWatch.follow(root, out(), accepted, requested, timeout);
        }
        if (root.json()) {
            root.printJson(out(), accepted);
        } else {
            out().println("deploy of " + String.join(", ", all ? List.of("every environment") : environments)
                    + " requested (request " + String.join(", ", DeployWatch.requestIds(accepted)) + ") on "
                    + String.join(", ", Json.texts(accepted, "readyMasters")));
            out().println("follow it with: momentum history " + (all ? "ENV" : environments.get(0))
                    + ", or deploy with --wait");
        }
        return ExitCode.OK;
    }
}
