package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import io.momentum.cli.client.MomentumApi;
import io.momentum.cli.view.Json;
import java.util.stream.Collectors;

/** {@code GET /api/v1/environments} and finding one environment's row in it. */
final class Environments {

    private Environments() {
    }

    static JsonNode all(MomentumApi api) {
        return api.get("/api/v1/environments");
    }

    /** The row of {@code name}; not found (exit 5) naming the known environments. */
    static JsonNode row(JsonNode matrix, String name) {
        return Json.list(matrix, "environments").stream().filter(e -> name.equals(Json.text(e, "environment")))
                .findFirst().orElseThrow(() -> new CliException(ExitCode.NOT_FOUND, "no environment " + name
                        + " is known to the server (known: " + Json.list(matrix, "environments").stream()
                                .map(e -> Json.text(e, "environment")).collect(Collectors.joining(", ")) + ")"));
    }
}
