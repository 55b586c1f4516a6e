package io.momentum.lb.backend;

import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.BackendSet;

/**
 * One load balancer implementation (nginx, HAProxy). {@link #apply} renders, validates and activates a backend
 * set, and on any failure leaves the last good configuration live. Calls are serialized by the caller.
 */
public interface LoadBalancerBackend {

    /** The name used in {@code momentum.lb.backends} and in LbConfigApplied. */
    String name();

    /** Never called with a set that cannot serve (see {@link BackendSet#canServe()}). */
    ApplyOutcome apply(BackendSet set);

    /** Digest of the configuration file on disk, null when there is none yet. */
    String liveSha256();
}
