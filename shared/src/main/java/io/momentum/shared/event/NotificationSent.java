package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/**
 * Value of {@code momentum.notifications}, keyed {@code <sink>/<notificationId>} (see {@link #key()}): what the
 * notifier did with one notification for one sink. A restarted notifier replays these and sends nothing that has a
 * record here, whatever its outcome.
 *
 * @param sink the configured sink's name ({@code momentum.notifier.sinks.<name>})
 * @param notificationId the notification's stable id ({@code deploy/<requestId>}, {@code master/...}, {@code lb/...})
 * @param attempts how many HTTP calls were made (0 when dropped before any)
 * @param error why it was not delivered (GAVE_UP, DROPPED)
 */
public record NotificationSent(
        @NotBlank String sink,
        @NotBlank String notificationId,
        @NotNull Outcome outcome,
        @PositiveOrZero int attempts,
        String error,
        @NotNull Instant at) implements Event {

    public enum Outcome {
        /** The sink answered 2xx. */
        DELIVERED,
        /** A 4xx answer, or every retry failed: not tried again. */
        GAVE_UP,
        /** The sink's queue was full: never tried. */
        DROPPED
    }

    public String key() {
        return key(sink, notificationId);
    }

    public static String key(String sink, String notificationId) {
        return sink + "/" + notificationId;
    }
}
