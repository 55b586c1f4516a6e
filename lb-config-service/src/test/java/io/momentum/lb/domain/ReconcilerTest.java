package io.momentum.lb.domain;

import static io.momentum.lb.domain.Statuses.draining;
import static io.momentum.lb.domain.Statuses.routable;
import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.lb.state.RevisionFile;
import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {

    @TempDir
    Path stateDir;

    private final RecordingBackend backend = new RecordingBackend();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void appliesAndPublishesOneEventPerBackendAndAttempt() {
        Reconciler reconciler = reconciler();

        List<LbConfigApplied> events = reconciler.reconcile(set(routable("cm1", "10.0.0.11:8140")));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.lbId()).isEqualTo("lb1");
            assertThat(event.backend()).isEqualTo("fake");
            assertThat(event.revision()).isEqualTo(1);
            assertThat(event.result()).isEqualTo(LbResult.APPLIED);
            assertThat(event.backends()).containsExactly(new LbBackend("cm1", "10.0.0.11:8140", false));
            assertThat(event.configSha256()).isEqualTo("sha-1");
        });
    }

    @Test
    void refusesASetThatCannotServeWithoutTouchingTheBackend() {
        Reconciler reconciler = reconciler();
        reconciler.reconcile(set(routable("cm1", "10.0.0.11:8140")));

        List<LbConfigApplied> events = reconciler.reconcile(set(draining("cm1", "10.0.0.11:8140")));

        assertThat(backend.applied).hasSize(1);
        LbConfigApplied rejected = events.get(0);
        assertThat(rejected.result()).isEqualTo(LbResult.REJECTED);
        assertThat(rejected.error()).contains("without a routable master").contains("cm1=ACTIVE");
        assertThat(rejected.backends()).containsExactly(new LbBackend("cm1", "10.0.0.11:8140", false));
        assertThat(reconciler.views().get("fake").live().orElseThrow().servers())
                .extracting(LbServer::state).containsExactly(ServerState.ACTIVE);
    }

    @Test
    void aFailedAttemptKeepsTheLastGoodSetAsLive() {
        Reconciler reconciler = reconciler();
        reconciler.reconcile(set(routable("cm1", "10.0.0.11:8140")));
        backend.failNext = true;

        LbConfigApplied failed = reconciler.reconcile(set(routable("cm2", "10.0.0.12:8140"))).get(0);

        assertThat(failed.result()).isEqualTo(LbResult.FAILED);
        assertThat(failed.backends()).extracting(LbBackend::masterId).containsExactly("cm1");
    }

    @Test
    void revisionsKeepCountingAcrossRestarts() {
        reconciler().reconcile(set(routable("cm1", "10.0.0.11:8140")));
        LbConfigApplied afterRestart = reconciler().reconcile(set(routable("cm1", "10.0.0.11:8140"))).get(0);

        assertThat(afterRestart.revision()).isEqualTo(2);
    }

    /** A fresh reconciler, as after a restart: only the state directory is kept. */
    private Reconciler reconciler() {
        return new Reconciler("lb1", List.of(backend), new RevisionCounter(new RevisionFile(stateDir)), clock);
    }

    private static BackendSet set(io.momentum.shared.event.MasterStatus... statuses) {
        UpstreamFleet fleet = new UpstreamFleet(true);
        for (var status : statuses) {
            fleet.update(status.masterId(), status);
        }
        return fleet.desired();
    }

    private static final class RecordingBackend implements LoadBalancer {
        final List<BackendSet> applied = new ArrayList<>();
        boolean failNext;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public ApplyOutcome apply(BackendSet set) {
            if (failNext) {
                failNext = false;
                return ApplyOutcome.failed("validation failed", liveSha256());
            }
            applied.add(set);
            return ApplyOutcome.applied(liveSha256(), true);
        }

        @Override
        public String liveSha256() {
            return "sha-" + applied.size();
        }
    }
}
