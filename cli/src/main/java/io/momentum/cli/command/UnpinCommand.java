package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.cli.ExitCode;
import io.momentum.cli.client.MomentumApi;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unpin", mixinStandardHelpOptions = true,
        description = "End a rollback's pin: deploy ENV's branch head again (DELETE /api/v1/environments/ENV/pin).")
public class UnpinCommand extends MomentumCommand {

    @Parameters(paramLabel = "ENV", description = "the pinned environment")
    String environment;

    @Option(names = "--wait", description = "follow every master's result until all reported")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = WaitDuration.class,
            description = "how long --wait waits (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        JsonNode accepted = root.api().delete("/api/v1/environments/" + MomentumApi.segment(environment) + "/pin");
        if (await) {
            return DeployWatch.follow(root, out(), accepted, List.of(environment), timeout);
        }
        if (root.json()) {
            root.printJson(out(), accepted);
        } else {
            out().println(environment + " unpinned: its branch head is being deployed (request "
                    + String.join(", ", DeployWatch.requestIds(accepted)) + ")");
        }
        return ExitCode.OK;
    }
}
