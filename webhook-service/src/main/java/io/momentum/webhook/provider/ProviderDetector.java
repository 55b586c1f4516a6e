package io.momentum.webhook.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.momentum.shared.event.Provider;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Picks the parser for a request among the given ones: by headers first (in each parser's detection order), by
 * body only for hosts that send no header of their own.
 */
public final class ProviderDetector {

    private final List<PayloadParser> parsers;

    public ProviderDetector(Collection<? extends PayloadParser> parsers) {
        this.parsers = parsers.stream().sorted(Comparator.comparingInt(PayloadParser::detectionOrder)
                .thenComparing(p -> p.provider().id())).map(PayloadParser.class::cast).toList();
        Set<Provider> seen = new HashSet<>();
        for (PayloadParser parser : this.parsers) {
            if (!seen.add(parser.provider())) {
                throw new IllegalArgumentException("two parsers for provider " + parser.provider().id());
            }
        }
    }

    public Optional<PayloadParser> detect(WebhookHeaders headers, Supplier<JsonNode> body) {
        for (PayloadParser parser : parsers) {
            if (parser.detects(headers)) {
                return Optional.of(parser);
            }
        }
        JsonNode json = body.get();
        return parsers.stream().filter(p -> p.detectsBody(json)).findFirst();
    }

    /** Detection of a delivery whose body is read only if no header tells the provider. */
    public Optional<PayloadParser> detect(WebhookHeaders headers, Payload body) {
        return detect(headers, body::jsonOrNull);
    }

    public List<Provider> providers() {
        return parsers.stream().map(PayloadParser::provider).toList();
    }

    /** Why a request was not recognised: what each host's requests carry. */
    public String unrecognised() {
        return "unknown provider: the request has none of "
                + parsers.stream().map(PayloadParser::recognisedBy).collect(Collectors.joining("; "));
    }
}
