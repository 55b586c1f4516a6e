package io.momentum.shared.env;

/** A branch, environment or module name that Momentum refuses to turn into a directory. */
public class InvalidNameException extends IllegalArgumentException {

    public InvalidNameException(String message) {
        super(message);
    }
}
