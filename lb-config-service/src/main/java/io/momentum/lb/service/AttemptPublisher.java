package io.momentum.lb.service;

import io.momentum.shared.event.LbConfigApplied;

/** Where every apply attempt is reported (the audit trail on momentum.lb-changes). */
public interface AttemptPublisher {

    /** Never throws: a lost audit record must not stop the load balancer from being kept in line. */
    void publish(LbConfigApplied event);
}
