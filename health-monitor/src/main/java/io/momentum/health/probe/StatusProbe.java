package io.momentum.health.probe;

import io.momentum.health.domain.ProbeOutcome;
import java.util.concurrent.CompletableFuture;

/** Checks one Puppet Server. The future always completes normally, within the probe timeout (plus scheduling). */
public interface StatusProbe {

    CompletableFuture<ProbeOutcome> probe(String baseUrl);
}
