package io.momentum.webhook.provider;

/** A payload that is not what its provider documents; the message names what is wrong. */
public class PayloadException extends RuntimeException {

    public PayloadException(String message) {
        super(message);
    }
}
