package io.momentum.notifier.sink;

import java.net.URI;
import java.util.Map;

/** One JSON POST to a receiver. Headers may hold credentials: never log them. */
public record SinkRequest(URI uri, Map<String, String> headers, byte[] body) {

    public SinkRequest {
        headers = Map.copyOf(headers);
    }
}
