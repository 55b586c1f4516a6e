package io.momentum.cli;

/** A failure the user is told about in one line, with the exit code of its kind ({@link ExitCode}). */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
