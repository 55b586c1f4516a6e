package io.momentum.health.probe;

import io.momentum.service.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Starts a probe round every interval, as the application's scheduler does, for tests and benches without it. */
public final class ProbeRounds implements AutoCloseable {

    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("test-probe-rounds"));

    private ProbeRounds(Duration interval, ProbeLoop loop) {
        ticker.scheduleAtFixedRate(loop::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static ProbeRounds every(Duration interval, ProbeLoop loop) {
        return new ProbeRounds(interval, loop);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
