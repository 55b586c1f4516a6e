package io.momentum.service.process;

/**
 * How an external command ended.
 *
 * @param exitCode the exit code when it {@link Ending#EXITED}, else -1
 * @param output the end of its combined stdout and stderr, stripped (for a command that did not start: why)
 */
public record ProcessResult(String program, Ending ending, int exitCode, String output) {

    public enum Ending {
        EXITED, TIMED_OUT, INTERRUPTED, NOT_STARTED
    }

    public boolean ok() {
        return ending == Ending.EXITED && exitCode == 0;
    }

    /** One line for an error message, an event or a log: what happened, then the output's end. */
    public String describe() {
        String what = switch (ending) {
            case EXITED -> program + " exited with " + exitCode;
            case TIMED_OUT -> program + " did not finish in time and was killed";
            case INTERRUPTED -> program + " was interrupted and killed";
            case NOT_STARTED -> "cannot run " + program;
        };
        return output.isEmpty() ? what : what + ": " + output;
    }
}
