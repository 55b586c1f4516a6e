package io.momentum.agent.plan;

import io.momentum.shared.event.Rollout;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Map;

/** The planner every agent runs: {@code momentum.planner.*}. */
@ConfigMapping(prefix = "momentum.planner")
public interface PlannerConfig {

    /**
     * Plan deploy requests in this agent (consumer group {@code momentum-planner}: with several planners, each request
     * is planned by one of them). On the MoM's agent, and on a second trusted host for failover: a planner decides
     * what every master deploys, so its Kafka principal may write {@code momentum.deploy-plans} and a compile
     * master's may not.
     */
    @WithDefault("false")
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

    /**
     * How long the planner waits before planning an environment again after its planning failed because a repository
     * (control or module) or the Forge could not be reached (transport, timeout, host unreachable, authentication);
     * doubled after each failed attempt up to {@link #retryMax()}. The FAILED plan is published at once; a success
     * is published under the same request id. Not for failures of content (a Puppetfile that does not parse, a ref
     * that does not exist), and not once a newer request for the environment came.
     */
    @WithDefault("10s")
    Duration retry();

    /** The longest wait between two plannings of an environment that failed to reach a repository. */
    @WithDefault("5m")
    Duration retryMax();

    /** How many environments are planned at once. */
    @WithDefault("4")
    @Positive
    int maxParallelEnvironments();

    /**
     * The consumer group protocol of {@code momentum-planner}: {@code classic} works with every broker;
     * {@code consumer} (KIP-848, brokers 4.0+) moves only the partitions a joining or leaving planner takes or gives,
     * but assigns them a heartbeat (5 s) later.
     */
    @WithDefault("classic")
    @Pattern(regexp = "consumer|classic", message = "must be consumer or classic")
    String groupProtocol();

    /** How plans reach the fleet: see {@link RolloutPolicy}. */
    RolloutConfig rollout();

    /**
     * {@code immediate}, {@code fleet} or {@code canary} (any other value fails start-up naming the key, the value
     * and the known names): the environment's entry beats its source's, which beats the default.
     */
    interface RolloutConfig {

        @WithName("default")
        @WithDefault("immediate")
        Rollout defaultRollout();

        /** Rollout per source name, e.g. {@code sources.control=fleet}. */
        Map<String, Rollout> sources();

        /** Rollout per environment name, e.g. {@code environments.production=canary}. */
        Map<String, Rollout> environments();
    }
}
