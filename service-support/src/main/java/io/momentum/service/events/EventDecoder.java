package io.momentum.service.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.shared.event.Event;
import io.momentum.shared.json.EventCodec;
import io.momentum.shared.json.EventDecodingException;
import io.momentum.shared.json.UnsupportedSchemaVersionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Decodes topic values with the shared codec and enforces the Bean Validation constraints declared on the event
 * records, so that every service refuses the same records. A record that cannot be used is skipped through
 * {@link #skipped}: logged with where it is and counted in {@code momentum.events.skipped} (tags {@code topic},
 * {@code reason}: {@code newer-schema} or {@code malformed}), never retried into a crash loop.
 */
@ApplicationScoped
public class EventDecoder {

    private static final Logger LOG = Logger.getLogger(EventDecoder.class);

    private final Validator validator;
    private final MeterRegistry meters;

    @Inject
    public EventDecoder(Validator validator, MeterRegistry meters) {
        this.validator = validator;
        this.meters = meters;
    }

    /**
     * @throws EventDecodingException when the value is not a valid event of this type (an
     *     {@link UnsupportedSchemaVersionException} when a newer producer wrote it)
     */
    public <T extends Event> T decode(byte[] value, Class<T> type) {
        T event = EventCodec.decode(value, type);
        Set<ConstraintViolation<T>> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            throw new EventDecodingException("invalid " + type.getSimpleName() + ": " + violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining(", ")));
        }
        return event;
    }

    /** Logs and counts a record that is skipped because it could not be decoded. */
    public void skipped(String topic, int partition, long offset, String key, EventDecodingException error) {
        String reason = error instanceof UnsupportedSchemaVersionException ? "newer-schema" : "malformed";
        meters.counter("momentum.events.skipped", "topic", topic, "reason", reason).increment();
        LOG.warnf("skipping %s record %s-%d@%d (key %s): %s", reason, topic, partition, offset, key,
                error.getMessage());
    }
}
