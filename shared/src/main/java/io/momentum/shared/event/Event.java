package io.momentum.shared.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every value on a Momentum topic: it names its type and schema version so that a consumer
 * can tell what it reads and skip what it does not understand.
 */
public interface Event {

    int SCHEMA_VERSION = 1;

    @JsonProperty("type")
    default String type() {
        return getClass().getSimpleName();
    }

    @JsonProperty("schemaVersion")
    default int schemaVersion() {
        return SCHEMA_VERSION;
    }
}
