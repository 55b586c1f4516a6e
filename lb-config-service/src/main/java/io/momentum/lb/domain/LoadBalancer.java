package io.momentum.lb.domain;

/**
 * The port every load balancer implements (nginx, HAProxy). {@link #apply} renders, validates and activates a
 * backend set, and on any failure leaves the last good configuration live. Calls are serialized by the caller.
 */
public interface LoadBalancer {

    /** The name used in {@code momentum.lb.backends} (the bean's {@code @Identifier}) and in LbConfigApplied. */
    String name();

    /** Never called with a set that cannot serve (see {@link BackendSet#canServe()}). */
    ApplyOutcome apply(BackendSet set);

    /** Digest of the configuration file on disk, null when there is none yet. */
    String liveSha256();
}
