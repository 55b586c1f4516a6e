package io.momentum.agent.plan;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/** The planner every agent runs: {@code momentum.planner.*}. */
@ConfigMapping(prefix = "momentum.planner")
public interface PlannerConfig {

    /**
     * Plan deploy requests in this agent (consumer group {@code momentum-planner}, shared by every agent that has it
     * on: each request is planned by one of them). At least one agent of a fleet must have it on.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Once the plans topic is replayed, list the control repositories and plan what has no plan or is behind its
     * branch head: what a fleet that was down, or that is upgraded to plans, is missing.
     */
    @WithDefault("true")
    boolean catchUp();

    /** How long the catch-up waits before listing again after that failed; doubled up to {@link #catchUpRetryMax()}. */
    @WithDefault("5s")
    Duration catchUpRetry();

    @WithDefault("5m")
    Duration catchUpRetryMax();

    /** How many environments are planned at once. */
    @WithDefault("4")
    @Positive
    int maxParallelEnvironments();

    /**
     * The consumer group protocol of {@code momentum-planner}: {@code consumer} (KIP-848, Kafka 4: the broker
     * assigns incrementally, an agent joining or leaving does not stop the others) or {@code classic}.
     */
    @WithDefault("consumer")
    @Pattern(regexp = "consumer|classic", message = "must be consumer or classic")
    String groupProtocol();
}
