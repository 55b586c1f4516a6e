package io.momentum.webhook.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A delivery's body as the git host sent it: the raw bytes its signature covers, read as JSON once, when a parser
 * first needs it. GitHub and Gitea may send the JSON form-encoded in a {@code payload} field.
 */
public final class Payload {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final byte[] raw;
    private final boolean formEncoded;
    private JsonNode parsed;
    private PayloadException failure;

    public Payload(byte[] raw, boolean formEncoded) {
        this.raw = raw;
        this.formEncoded = formEncoded;
    }

    public byte[] raw() {
        return raw;
    }

    /**
     * @throws PayloadException when the body is not a JSON object
     */
    synchronized JsonNode json() {
        if (parsed == null && failure == null) {
            try {
                JsonNode node = JSON.readTree(jsonBytes());
                if (node == null || !node.isObject()) {
                    failure = new PayloadException("body must be a JSON object");
                } else {
                    parsed = node;
                }
            } catch (JsonProcessingException e) {
                failure = new PayloadException("malformed JSON: " + e.getOriginalMessage());
            } catch (IOException | IllegalArgumentException e) {
                failure = new PayloadException("unreadable body: " + e.getMessage());
            } catch (PayloadException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return parsed;
    }

    /** The JSON object, or {@code null} when the body is none (for detection, before anything is verified). */
    JsonNode jsonOrNull() {
        try {
            return json();
        } catch (PayloadException e) {
            return null;
        }
    }

    private byte[] jsonBytes() {
        if (!formEncoded) {
            return raw;
        }
        String form = new String(raw, StandardCharsets.UTF_8);
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new PayloadException("form-encoded body has no 'payload' field");
    }
}
