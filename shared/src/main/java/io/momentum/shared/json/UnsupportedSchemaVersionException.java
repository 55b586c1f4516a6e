package io.momentum.shared.json;

/** A record written by a newer producer whose schema this reader does not know: skipped, never guessed at. */
public class UnsupportedSchemaVersionException extends EventDecodingException {

    public UnsupportedSchemaVersionException(String message) {
        super(message);
    }
}
