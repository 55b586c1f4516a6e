package io.momentum.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.shared.event.Health;
import io.momentum.shared.event.LbResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sink filters, the sent log with its replay window, and the retry policy: plain JUnit. */
class DeliveryRulesTest {

    private static final Instant START = Instant.parse("2026-12-02T07:00:00Z");

    @Test
    void aFilterChecksKindsFailuresAndEnvironmentsButLetsFleetNewsThrough() {
        SinkFilter productionFailures = new SinkFilter(Set.of("production"), Set.of(), true);
        assertThat(productionFailures.accepts(deploy("production", DeployOutcome.FAILED))).isTrue();
        assertThat(productionFailures.accepts(deploy("production", DeployOutcome.SUCCEEDED))).isFalse();
        assertThat(productionFailures.accepts(deploy("staging", DeployOutcome.FAILED))).isFalse();
        assertThat(productionFailures.accepts(left())).isTrue();

        SinkFilter deploysOnly = new SinkFilter(Set.of(), Set.of(NotificationKind.DEPLOY), false);
        assertThat(deploysOnly.accepts(deploy("staging", DeployOutcome.SUCCEEDED))).isTrue();
        assertThat(deploysOnly.accepts(left())).isFalse();
        assertThat(SinkFilter.ALL.accepts(lb())).isTrue();
    }

    @Test
    void eventKindsAreNamedAsInTheConfiguration() {
        assertThat(NotificationKind.fromConfigName(" Master-Left ")).isEqualTo(NotificationKind.MASTER_LEFT);
        assertThatThrownBy(() -> NotificationKind.fromConfigName("deploys"))
                .hasMessage("unknown event kind 'deploys'; known: deploy, master-left, master-rejoined, lb-failed");
    }

    @Test
    void theSentLogHandsANotificationOutOncePerSinkAndSkipsHistory() {
        SentLog log = new SentLog(START, Duration.ofHours(1));
        DeployFinished recent = deploy("production", DeployOutcome.SUCCEEDED);
        log.recorded("slack/" + recent.id());

        assertThat(log.claim("slack", recent)).isFalse();
        assertThat(log.claim("webhook", recent)).isTrue();
        assertThat(log.claim("webhook", recent)).isFalse();
        assertThat(log.contains("webhook", recent.id())).isTrue();

        MasterRoutingChanged history = new MasterRoutingChanged("cm1", false, Health.DOWN, "down", List.of(),
                START.minus(Duration.ofHours(2)));
        assertThat(log.claim("webhook", history)).isFalse();
    }

    @Test
    void onlyTransientFailuresAreRetriedWithDoublingBackoff() {
        assertThat(RetryPolicy.judge(200)).isEqualTo(RetryPolicy.Verdict.DELIVERED);
        assertThat(RetryPolicy.judge(204)).isEqualTo(RetryPolicy.Verdict.DELIVERED);
        assertThat(RetryPolicy.judge(503)).isEqualTo(RetryPolicy.Verdict.RETRY);
        assertThat(RetryPolicy.judge(429)).isEqualTo(RetryPolicy.Verdict.RETRY);
        assertThat(RetryPolicy.judge(404)).isEqualTo(RetryPolicy.Verdict.GIVE_UP);
        assertThat(RetryPolicy.judge(401)).isEqualTo(RetryPolicy.Verdict.GIVE_UP);
        assertThat(RetryPolicy.judge(302)).isEqualTo(RetryPolicy.Verdict.GIVE_UP);

        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(List.of(1, 2, 3, 4).stream().map(policy::backoffAfter).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertThat(policy.mayRetryAfter(4)).isTrue();
        assertThat(policy.mayRetryAfter(5)).isFalse();
    }

    static DeployFinished deploy(String environment, DeployOutcome outcome) {
        return new DeployFinished(UUID.randomUUID(), outcome, "ENVIRONMENT", List.of(environment), "main",
                "c".repeat(40), "control", "github", "alice", List.of(), List.of(), null, START, null,
                START.plusSeconds(5));
    }

    private static MasterRoutingChanged left() {
        return new MasterRoutingChanged("cm1", false, Health.DOWN, "down", List.of(), START);
    }

    private static LoadBalancerFailed lb() {
        return new LoadBalancerFailed("lb1", "haproxy", 3, LbResult.FAILED, "haproxy -c failed", START);
    }
}
