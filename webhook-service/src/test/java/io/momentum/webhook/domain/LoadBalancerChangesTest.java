package io.momentum.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.LbBackend;
import io.momentum.shared.event.LbConfigApplied;
import io.momentum.shared.event.LbResult;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadBalancerChangesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");

    private final LoadBalancerChanges changes = new LoadBalancerChanges();

    static LbConfigApplied change(String lbId, long revision, LbResult result, String... masters) {
        return new LbConfigApplied(lbId, "nginx", revision,
                List.of(masters).stream().map(m -> new LbBackend(m, m + ":8140", false)).toList(), result,
                result == LbResult.REJECTED ? "empty backend set" : null, "sha-" + revision,
                NOW.plusSeconds(revision));
    }

    @Test
    void theLatestChangeIsTheServingSetAndTheLogIsNewestFirst() {
        changes.onChange("lb1", change("lb1", 1, LbResult.APPLIED, "cm1", "cm2"));
        changes.onChange("lb0", change("lb0", 1, LbResult.APPLIED, "cm1"));
        changes.onChange("lb1", change("lb1", 2, LbResult.APPLIED, "cm1"));
        changes.onChange("lb1", change("lb1", 3, LbResult.REJECTED));

        List<LoadBalancerChanges.LoadBalancerLog> logs = changes.all();

        assertThat(logs).extracting(l -> l.latest().lbId()).containsExactly("lb0", "lb1");
        assertThat(logs.get(1).latest().result()).isEqualTo(LbResult.REJECTED);
        assertThat(logs.get(1).changes()).extracting(LbConfigApplied::revision).containsExactly(3L, 2L, 1L);
    }

    @Test
    void keepsOnlyTheMostRecentChanges() {
        IntStream.rangeClosed(1, LoadBalancerChanges.KEPT_CHANGES + 5)
                .forEach(r -> changes.onChange("lb1", change("lb1", r, LbResult.APPLIED, "cm1")));

        List<LbConfigApplied> log = changes.all().get(0).changes();

        assertThat(log).hasSize(LoadBalancerChanges.KEPT_CHANGES);
        assertThat(log.get(0).revision()).isEqualTo(LoadBalancerChanges.KEPT_CHANGES + 5);
        assertThat(log.get(log.size() - 1).revision()).isEqualTo(6);
    }
}
