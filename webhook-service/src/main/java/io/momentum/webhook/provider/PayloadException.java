package io.momentum.webhook.provider;

/** A payload that is not what its provider documents: answered 400 with this message. */
public class PayloadException extends RuntimeException {

    public PayloadException(String message) {
        super(message);
    }
}
