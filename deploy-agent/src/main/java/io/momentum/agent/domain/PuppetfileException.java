package io.momentum.agent.domain;

/** A Puppetfile this agent cannot deploy; the message names the line, so operators can fix it. */
public class PuppetfileException extends Exception {

    private final int line;

    public PuppetfileException(int line, String message) {
        super(line > 0 ? "Puppetfile line " + line + ": " + message : "Puppetfile: " + message);
        this.line = line;
    }

    /** 1-based line number, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }
}
