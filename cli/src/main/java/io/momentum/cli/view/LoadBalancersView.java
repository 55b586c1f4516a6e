package io.momentum.cli.view;

import static io.momentum.cli.view.Json.age;
import static io.momentum.cli.view.Json.instant;
import static io.momentum.cli.view.Json.list;
import static io.momentum.cli.view.Json.shortId;
import static io.momentum.cli.view.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * {@code momentum lb}: per load balancer what it serves (its latest applied change) and its last changes, from
 * {@code GET /api/v1/load-balancers}.
 */
public final class LoadBalancersView {

    /** Changes listed per load balancer; the server keeps up to 20. */
    static final int CHANGES_SHOWN = 10;

    private LoadBalancersView() {
    }

    public static String render(JsonNode answer, Instant now) {
        StringBuilder out = new StringBuilder();
        for (JsonNode lb : list(answer, "loadBalancers")) {
            JsonNode latest = lb.get("latest");
            out.append("load balancer ").append(text(latest, "lbId")).append(" (").append(text(latest, "backend"))
                    .append("): revision ").append(text(latest, "revision")).append(", ")
                    .append(text(latest, "result")).append(' ').append(age(instant(latest, "appliedAt"), now))
                    .append(" ago, config ").append(shortId(text(latest, "configSha256"), 12)).append('\n');
            Table serving = new Table("  SERVING", "ADDRESS", "DRAINING");
            for (JsonNode backend : list(latest, "backends")) {
                serving.row("  " + text(backend, "masterId"), text(backend, "address"),
                        Json.flag(backend, "draining") ? "yes" : "no");
            }
            out.append(serving.isEmpty() ? "  serving nothing yet\n" : serving.render());
            Table changes = new Table("  CHANGED", "REVISION", "RESULT", "MASTERS", "ERROR");
            list(lb, "changes").stream().limit(CHANGES_SHOWN).forEach(change -> changes.row(
                    "  " + age(instant(change, "appliedAt"), now) + " ago", text(change, "revision"),
                    text(change, "result"), list(change, "backends").stream().map(b -> text(b, "masterId"))
                            .collect(Collectors.joining(",")),
                    StatusView.oneLine(text(change, "error"))));
            if (!changes.isEmpty()) {
                out.append(changes.render());
            }
            out.append('\n');
        }
        return out.length() == 0 ? "no load balancer has reported a change yet\n" : out.toString().stripTrailing()
                + "\n";
    }
}
