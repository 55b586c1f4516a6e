package io.momentum.service.kafka;

import io.momentum.shared.event.Event;
import io.momentum.shared.json.EventCodec;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any Momentum event with the shared codec; a null value stays null (a tombstone). */
public class EventSerializer implements Serializer<Event> {

    @Override
    public byte[] serialize(String topic, Event event) {
        return event == null ? null : EventCodec.encode(event);
    }
}
