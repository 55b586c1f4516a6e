package io.momentum.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Plain JUnit: what the book keeps per environment from the plans topic. */
class PlanBookTest {

    private static final String COMMIT = "a".repeat(40);
    private static final Instant AT = Instant.parse("2026-12-02T04:00:00Z");

    private static DeployPlan planned(String environment) {
        return DeployPlan.planned(UUID.randomUUID(), environment, "control", environment, COMMIT, List.of(),
                Rollout.IMMEDIATE, AT);
    }

    @Test
    void aFailedPlanIsTheLatestButTheLastPlannedOneStaysWhatTheMastersServe() {
        PlanBook book = new PlanBook();
        DeployPlan planned = planned("production");
        DeployPlan failed = DeployPlan.failed(UUID.randomUUID(), "production", "control", "production", COMMIT,
                "boom", AT);

        book.record(planned);
        book.record(failed);

        assertThat(book.latest("production")).contains(failed);
        assertThat(book.lastPlanned("production")).isEqualTo(planned);
        assertThat(book.all()).containsOnlyKeys("production");
    }

    @Test
    void anAbsentPlanForgetsWhatWasPlannedAndATombstoneForgetsTheEnvironment() {
        PlanBook book = new PlanBook();
        book.record(planned("feature"));
        book.record(DeployPlan.absent(UUID.randomUUID(), "feature", "control", "feature", AT));
        assertThat(book.lastPlanned("feature")).isNull();
        assertThat(book.latest("feature")).isPresent();

        book.record(planned("other"));
        book.apply("other", null);
        assertThat(book.latest("other")).isEmpty();
        assertThat(book.lastPlanned("other")).isNull();
    }
}
