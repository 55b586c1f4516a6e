package io.momentum.webhook.rest;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** {@code "timeout"} of a deploy command: a number of seconds, or an ISO-8601 duration such as {@code PT2M}. */
public record WaitTimeout(Duration duration) {

    public WaitTimeout {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("\"timeout\" must be positive");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static WaitTimeout of(Object value) {
        if (value instanceof Number seconds) {
            return new WaitTimeout(Duration.ofMillis((long) (seconds.doubleValue() * 1000)));
        }
        try {
            return new WaitTimeout(Duration.parse(String.valueOf(value)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"timeout\" must be seconds or an ISO-8601 duration (PT2M)");
        }
    }
}
