package io.momentum.cli.view;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows a deploy's progress as it changes. On a terminal the block of lines is redrawn in place, coloured by state
 * (the text says the state too); otherwise every change is one more plain line, for logs and pipes.
 */
public final class ProgressPrinter {

    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> shown = new HashMap<>();
    private final Set<String> notesShown = new HashSet<>();
    private int drawnLines;

    public ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void show(DeployProgress.Snapshot snapshot) {
        if (terminal) {
            redraw(snapshot);
        } else {
            appendChanges(snapshot);
        }
        out.flush();
    }

    private void appendChanges(DeployProgress.Snapshot snapshot) {
        for (DeployProgress.Line line : snapshot.lines()) {
            String key = line.environment() + "/" + line.masterId();
            String text = line.text();
            if (!text.equals(shown.put(key, text))) {
                out.println(text);
            }
        }
        for (String note : snapshot.notes()) {
            if (notesShown.add(note)) {
                out.println(note);
            }
        }
    }

    private void redraw(DeployProgress.Snapshot snapshot) {
        if (drawnLines > 0) {
            out.print("\u001b[" + drawnLines + "F");
        }
        List<String> notes = snapshot.notes();
        for (DeployProgress.Line line : snapshot.lines()) {
            out.print("\u001b[2K" + colour(line.state()) + line.text() + RESET + "\n");
        }
        for (String note : notes) {
            out.print("\u001b[2K" + note + "\n");
        }
        // A block that shrank leaves old lines below: clear them.
        int drawn = snapshot.lines().size() + notes.size();
        for (int i = drawn; i < drawnLines; i++) {
            out.print("\u001b[2K\n");
        }
        drawnLines = Math.max(drawn, drawnLines);
    }

    private static String colour(DeployProgress.State state) {
        return switch (state) {
            case SUCCEEDED, PURGED -> "\u001b[32m";
            case FAILED, PLANNING_FAILED, HALTED, SUPERSEDED -> "\u001b[31m";
            case STAGED, DEPLOYING -> "\u001b[33m";
            // Already current: nothing happened, nothing to draw the eye to.
            case QUEUED, CURRENT -> "";
        };
    }
}
