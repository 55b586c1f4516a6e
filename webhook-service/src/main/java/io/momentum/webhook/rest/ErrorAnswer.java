package io.momentum.webhook.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every refusal has this shape: {@code {"error": "..."}}. */
@Schema(name = "Error")
public record ErrorAnswer(String error) {
}
