package io.momentum.health.probe;

import io.momentum.health.domain.ProbeOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Probes with the TLS context that is current at the time of the probe: an HTTP client is bound to one context, so
 * the probe is built again when the context changes (the TLS registry reloaded renewed certificate files).
 */
public final class CurrentTlsProbe implements StatusProbe {

    private record Bound(SSLContext context, StatusProbe probe) {
    }

    private final Supplier<SSLContext> tls;
    private final Function<SSLContext, StatusProbe> probeFor;
    private volatile Bound bound;

    /**
     * Binds to the current context at once, so that a TLS configuration that cannot be used fails start-up.
     *
     * @param tls the current context; the same instance as long as nothing changed
     * @param probeFor a probe over that context
     */
    public CurrentTlsProbe(Supplier<SSLContext> tls, Function<SSLContext, StatusProbe> probeFor) {
        this.tls = tls;
        this.probeFor = probeFor;
        SSLContext context = tls.get();
        this.bound = new Bound(context, probeFor.apply(context));
    }

    @Override
    public CompletableFuture<ProbeOutcome> probe(String baseUrl) {
        SSLContext context = tls.get();
        Bound current = bound;
        if (current.context() != context) {
            current = new Bound(context, probeFor.apply(context));
            bound = current;
        }
        return current.probe().probe(baseUrl);
    }
}
