package io.momentum.shared.event;

/** The shape of a valid environment name, shared by the validation constraints and {@code EnvironmentNames}. */
public final class EnvironmentNamePattern {

    /** Word characters only, at least one of them not an underscore, at most 255 (a file name). */
    public static final String REGEX = "(?=.*[A-Za-z0-9])[A-Za-z0-9_]{1,255}";

    private EnvironmentNamePattern() {
    }
}
