package io.momentum.cli;

/**
 * What {@code momentum} exits with, one code per kind of trouble, so that scripts can tell a failed deploy from a
 * wrong token or a server that is down.
 */
public final class ExitCode {

    /** Done; for a deploy or rollback with {@code --wait}: every master succeeded. */
    public static final int OK = 0;
    /** A deploy or rollback ended, and some master failed, was superseded, or planning or the rollout failed. */
    public static final int DEPLOY_FAILED = 1;
    /** The command line or the configuration is wrong (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** Nothing answered at the server URL (connection refused, unknown host, TLS failure, no answer in time). */
    public static final int UNREACHABLE = 3;
    /** The server refused the token (401). */
    public static final int UNAUTHORIZED = 4;
    /** The environment, plan or request is not known to the server (404). */
    public static final int NOT_FOUND = 5;
    /** The server refused the request as invalid (400) or not possible now (409). */
    public static final int REFUSED = 6;
    /** The server failed (5xx, e.g. 503 when Kafka did not store the request) or answered something unreadable. */
    public static final int SERVER_ERROR = 7;
    /** {@code --wait} ran out of time before every master reported. */
    public static final int TIMED_OUT = 8;

    private ExitCode() {
    }
}
