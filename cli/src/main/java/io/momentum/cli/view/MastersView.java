package io.momentum.cli.view;

import static io.momentum.cli.view.Json.age;
import static io.momentum.cli.view.Json.flag;
import static io.momentum.cli.view.Json.instant;
import static io.momentum.cli.view.Json.list;
import static io.momentum.cli.view.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** {@code momentum masters}: each master's latest MasterStatus from {@code GET /api/v1/masters}. */
public final class MastersView {

    private MastersView() {
    }

    public static String render(JsonNode answer, Instant now) {
        Table table = new Table("MASTER", "ROLE", "HEALTH", "IN SYNC", "ROUTABLE", "LATENCY", "CHECKED", "REASON");
        for (JsonNode master : list(answer, "masters")) {
            List<String> lagging = Json.texts(master, "laggingEnvironments");
            String inSync = flag(master, "inSync") ? "yes" : lagging.isEmpty() ? "no" : "no (" + String.join(", ",
                    lagging) + ")";
            String routable = flag(master, "routable") ? (flag(master, "draining") ? "draining" : "yes") : "no";
            String latency = master.hasNonNull("latencyMs") ? master.get("latencyMs").asLong() + " ms" : "-";
            table.row(text(master, "masterId"), lower(text(master, "role")), text(master, "health"), inSync,
                    routable, latency, age(instant(master, "checkedAt"), now),
                    StatusView.oneLine(text(master, "reason")));
        }
        return table.isEmpty() ? "no master has reported yet\n" : table.render();
    }

    static String lower(String value) {
        return value == null ? null : value.toLowerCase();
    }
}
