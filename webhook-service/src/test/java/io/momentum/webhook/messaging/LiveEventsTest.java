package io.momentum.webhook.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.Health;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterRole;
import io.momentum.shared.event.MasterState;
import io.momentum.shared.event.MasterStatus;
import io.momentum.shared.event.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain JUnit: who hears what, and that a closed stream stops listening (no leak per disconnected console). */
class LiveEventsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
    private static final MasterStatus DOWN = new MasterStatus("cm1", MasterRole.COMPILE, "cm1:8140", Health.DOWN,
            false, List.of(), false, false, "connection refused", 3, null, NOW);

    private final LiveEvents live = new LiveEvents();

    @Test
    void everyListenerHearsEachEventNamedByItsKindUntilItStops() {
        List<LiveEvents.LiveEvent> first = new ArrayList<>();
        List<LiveEvents.LiveEvent> second = new ArrayList<>();
        Runnable stopFirst = live.listen(first::add);
        live.listen(second::add);

        live.publish(Topics.MASTER_STATUS, DOWN);
        stopFirst.run();
        live.publish(Topics.MASTER_STATUS, DOWN);

        assertThat(first).containsExactly(new LiveEvents.LiveEvent("master-status", DOWN));
        assertThat(second).hasSize(2);
    }

    @Test
    void announcementsAreNotStreamed() {
        List<LiveEvents.LiveEvent> heard = new ArrayList<>();
        live.listen(heard::add);

        live.publish(Topics.MASTERS, new MasterAnnouncement("cm1", MasterRole.COMPILE, "https://cm1:8140",
                "cm1:8140", MasterState.READY, "1", NOW, NOW, 10_000));

        assertThat(heard).isEmpty();
    }

    @Test
    void everyStreamedTopicHasAKind() {
        assertThat(LiveEvents.KINDS).containsOnlyKeys(Topics.DEPLOY_REQUESTS, Topics.DEPLOY_PLANS, Topics.ROLLOUTS,
                Topics.DEPLOY_RESULTS, Topics.MASTER_STATUS, Topics.LB_CHANGES);
        assertThat(LiveEvents.KINDS.values()).containsExactlyInAnyOrder("deploy-request", "deploy-plan", "rollout",
                "deploy-result", "master-status", "lb-change");
    }
}
