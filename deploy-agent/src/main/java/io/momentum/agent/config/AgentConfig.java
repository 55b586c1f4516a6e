package io.momentum.agent.config;

import io.momentum.shared.event.MasterIdPattern;
import io.momentum.shared.event.MasterRole;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Optional;

/** Who this agent is and how it announces itself on {@code momentum.masters}. */
@ConfigMapping(prefix = "momentum.agent")
public interface AgentConfig {

    /** This master's id: the key of its announcements and results. */
    @Pattern(regexp = MasterIdPattern.REGEX, message = "must match " + MasterIdPattern.REGEX)
    String masterId();

    @WithDefault("COMPILE")
    MasterRole role();

    /** This master's Puppet Server, for example {@code https://cm1.example.net:8140}. */
    Optional<String> puppetServerUrl();

    /** host:port the load balancer should send agents to. */
    Optional<String> lbAddress();

    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * How long a joining master waits before trying again to make its environments match their plans after a
     * control repository could not be fetched (transport, authentication, host key); doubled after each failure up
     * to {@link #catchUpRetryMax()}.
     */
    @WithDefault("5s")
    Duration catchUpRetry();

    @WithDefault("5m")
    Duration catchUpRetryMax();

    /**
     * How often a READY master carries out again the plans it should serve but does not (a deploy that failed: a
     * full disk, a git host that did not answer), so that it recovers once the fault is gone without a new push.
     */
    @WithDefault("60s")
    Duration retryInterval();

    /**
     * On graceful shutdown, after LEAVING, publish a tombstone for this master on {@code momentum.masters}: set it
     * when the master is removed for good, so monitors forget it instead of reporting it down.
     */
    @WithDefault("false")
    boolean decommissionOnShutdown();

    /**
     * How long a graceful shutdown waits for running deploys before interrupting them (the previous version stays
     * live; the plan is still desired, so the next start deploys it).
     */
    @WithDefault("30s")
    Duration shutdownGracePeriod();
}
