package io.momentum.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import io.momentum.cli.Momentum;
import io.momentum.cli.client.MomentumApi;
import io.momentum.cli.view.DeployProgress;
import io.momentum.cli.view.Json;
import io.momentum.cli.view.ProgressPrinter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --wait} of deploy, rollback and unpin: polls each request's report until the server says it is over or the
 * timeout runs out, showing per master what changed, then a summary. Exit 0 only if every master succeeded.
 */
final class DeployWatch {

    static final Duration POLL = Duration.ofMillis(400);

    private DeployWatch() {
    }

    /** The request ids of a 202 answer ({@code DeployReport}). */
    static List<String> requestIds(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        Json.list(answer, "requests").forEach(r -> ids.add(Json.text(r, "requestId")));
        if (ids.isEmpty() && Json.text(answer, "requestId") != null) {
            ids.add(Json.text(answer, "requestId"));
        }
        return ids;
    }

    static int follow(Momentum root, PrintWriter out, JsonNode accepted, List<String> requested, Duration timeout) {
        List<String> ids = requestIds(accepted);
        List<String> readyMasters = Json.texts(accepted, "readyMasters");
        ProgressPrinter printer = root.json() ? null : new ProgressPrinter(out, root.terminal());
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> reports;
        DeployProgress.Snapshot snapshot;
        boolean timedOut;
        while (true) {
            reports = new ArrayList<>();
            for (String id : ids) {
                reports.add(report(root.api(), id));
            }
            snapshot = DeployProgress.of(reports, requested, readyMasters);
            if (printer != null) {
                printer.show(snapshot);
            }
            timedOut = System.nanoTime() > deadline;
            if (snapshot.complete() || timedOut) {
                break;
            }
            sleep();
        }
        int exit = snapshot.succeeded() ? ExitCode.OK : timedOut && !snapshot.complete() ? ExitCode.TIMED_OUT
                : ExitCode.DEPLOY_FAILED;
        if (root.json()) {
            ObjectNode result = root.mapper().createObjectNode();
            result.put("succeeded", exit == ExitCode.OK);
            result.put("complete", snapshot.complete());
            result.put("timedOut", exit == ExitCode.TIMED_OUT);
            var masters = result.putArray("readyMasters");
            Json.list(accepted, "readyMasters").forEach(masters::add);
            var array = result.putArray("requests");
            reports.forEach(r -> array.add(r == null ? root.mapper().nullNode() : r));
            root.printJson(out, result);
        } else {
            snapshot.summary(exit == ExitCode.TIMED_OUT).forEach(out::println);
            out.flush();
        }
        return exit;
    }

    /** The request's report, or null while the server has not read it back from Kafka yet. */
    private static JsonNode report(MomentumApi api, String id) {
        try {
            return api.get("/api/v1/deploys/" + MomentumApi.segment(id));
        } catch (CliException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.TIMED_OUT, "interrupted while waiting");
        }
    }
}
