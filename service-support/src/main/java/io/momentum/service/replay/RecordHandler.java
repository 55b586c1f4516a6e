package io.momentum.service.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies one record of a replayed topic to a service's state. Throwing
 * {@link io.momentum.shared.json.EventDecodingException} skips the record (logged and counted).
 */
@FunctionalInterface
public interface RecordHandler {

    void apply(ConsumerRecord<String, byte[]> record);
}
