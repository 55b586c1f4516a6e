package io.momentum.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.momentum.health.domain.FlapDamping;
import io.momentum.health.domain.HealthSettings;
import io.momentum.health.domain.MonitoredFleet;
import io.momentum.health.domain.RolloutSettings;
import io.momentum.health.domain.ServeStalePolicy;
import io.momentum.health.domain.StaticMaster;
import io.momentum.health.probe.FakePuppetServer.Mode;
import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The probe loop against real loopback servers: each master at its own pace, a hanging one delays nobody. */
class ProbeLoopTest {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    @Test
    void aHangingMasterGoesDownWithoutDelayingTheOthers() throws Exception {
        try (FakePuppetServer fast = FakePuppetServer.http();
                FakePuppetServer hanging = FakePuppetServer.http().mode(Mode.HANGING)) {
            HealthSettings settings = new HealthSettings(INTERVAL, TIMEOUT, 2, 3, Duration.ofSeconds(30),
                    FlapDamping.off());
            MonitoredFleet fleet = new MonitoredFleet(settings, RolloutSettings.defaults(), new ServeStalePolicy(), List.of(
                    new StaticMaster("fast", fast.url(), null, null),
                    new StaticMaster("hanging", hanging.url(), null, null)), Clock.systemUTC());
            AtomicInteger recorded = new AtomicInteger();
            PuppetStatusClient client = new PuppetStatusClient(
                    PuppetStatusClient.httpClient(SSLContext.getDefault(), TIMEOUT), TIMEOUT, true,
                    Clock.systemUTC());

            ProbeLoop loop = new ProbeLoop(fleet, client, recorded::incrementAndGet, Clock.systemUTC());
            try (ProbeRounds rounds = ProbeRounds.every(INTERVAL, loop)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> health(fleet, "hanging") == Health.DOWN
                        && health(fleet, "fast") == Health.UP);

                int fastProbes = fast.simpleRequests();
                assertThat(fastProbes).as("the fast master kept its pace while the other hung").isGreaterThanOrEqualTo(3);
                MasterStatus down = fleet.status("hanging").orElseThrow();
                assertThat(down.reason()).isEqualTo("DOWN: no answer within 200 ms");
                assertThat(fleet.status("fast").orElseThrow().routable()).isTrue();
                assertThat(recorded.get()).isGreaterThanOrEqualTo(fastProbes);
            }
        }
    }

    private static Health health(MonitoredFleet fleet, String id) {
        MasterStatus status = fleet.status(id).orElseThrow();
        return status.reason().startsWith("not checked yet") ? null : status.health();
    }
}
