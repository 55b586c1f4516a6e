package io.momentum.agent.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.agent.config.AgentConfig;
import io.momentum.agent.config.DeployConfig;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.messaging.EventPublisher;
import io.momentum.agent.messaging.PlanReader;
import io.momentum.agent.post.PostDeploySteps;
import io.momentum.agent.schedule.DeployScheduler;
import io.momentum.agent.schedule.PlanFollower;
import io.momentum.agent.schedule.SourcesUnreachable;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.service.replay.CompactedTopicReader;
import io.momentum.shared.event.MasterAnnouncement;
import io.momentum.shared.event.MasterState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The agent's life: announce JOINING, replay the plans topic, make every environment match its plan, announce
 * READY; heartbeat meanwhile; on graceful shutdown announce LEAVING, stop reading plans, let running deploys finish
 * (bounded), and optionally decommission the master with a tombstone.
 *
 * <p>READY means caught up: the plans topic is replayed and every environment matches its plan. While a control
 * repository cannot be fetched for a commit this master lacks (unreachable, key or token refused, host key unknown)
 * the master stays JOINING, says why in its announcements and in the status API, and tries again with a growing
 * delay; fixing the cause (a key file, known_hosts) is picked up without a restart. An environment whose plan
 * cannot be deployed for its own reason (a module commit the remote lost) is a FAILED result and does not hold READY
 * back.
 */
@ApplicationScoped
public class AgentLifecycle {

    private static final Logger LOG = Logger.getLogger(AgentLifecycle.class);

    @Inject
    AgentConfig agent;

    @Inject
    DeployConfig deploy;

    @Inject
    Deployer deployer;

    @Inject
    Targets targets;

    @Inject
    PostDeploySteps postDeploySteps;

    @Inject
    EventPublisher publisher;

    @Inject
    PlanReader plans;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String agentVersion;

    private volatile MasterState state = MasterState.JOINING;
    /** Why a JOINING master is not READY yet; null when nothing holds it back. */
    private volatile String joiningReason;
    private volatile MasterAnnouncement announcement;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.factory("momentum-catch-up-retry"));
    private DeployScheduler scheduler;
    private PlanFollower follower;
    private CompactedTopicReader reader;

    /** After topic provisioning (default priority), so the plans topic exists when it is read. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        String masterId = agent.masterId();
        announcement = new MasterAnnouncement(masterId, agent.role(), agent.puppetServerUrl().orElse(null),
                agent.lbAddress().orElse(null), MasterState.JOINING, agentVersion, Instant.now(), Instant.now(),
                agent.heartbeatInterval().toMillis());
        scheduler = new DeployScheduler(deployer, targets, new DeployMetrics(publisher, registry), postDeploySteps,
                masterId, deploy.maxParallelEnvironments());
        LOG.infof("master %s (%s) joining; backend %s, post-deploy steps %s", masterId, agent.role(),
                deploy.backend(), postDeploySteps.names());
        registry.gauge("momentum.agent.ready", this, lifecycle -> lifecycle.state == MasterState.READY ? 1 : 0);
        registry.gauge("momentum.agent.environments", this, lifecycle -> lifecycle.deployer.deployedEnvironments()
                .size());
        announce();
        follower = new PlanFollower(scheduler);
        reader = plans.follow(follower::accept, follower::activate,
                () -> catchUp(follower.caughtUp(), agent.catchUpRetry()));
    }

    /** Every heartbeat interval, from start until LEAVING (which is announced once, by {@link #onStop}). */
    @Scheduled(every = "${momentum.agent.heartbeat-interval}", delayed = "${momentum.agent.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (announcement != null && state != MasterState.LEAVING) {
            announce();
        }
    }

    /**
     * Every retry interval while READY: plans this master should serve but does not (their deploy failed) are
     * carried out again; environments with work running or waiting are left to it.
     */
    @Scheduled(every = "${momentum.agent.retry-interval}", delayed = "${momentum.agent.retry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryWhatIsNotLive() {
        if (follower != null && state == MasterState.READY) {
            follower.reconcile();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (announcement == null) {
            return;
        }
        state = MasterState.LEAVING;
        retries.shutdownNow();
        await(announce(), "LEAVING announcement");
        if (reader != null) {
            reader.close();
        }
        scheduler.close(agent.shutdownGracePeriod());
        if (agent.decommissionOnShutdown()) {
            LOG.infof("decommissioning master %s", agent.masterId());
            await(publisher.tombstone(agent.masterId()), "decommission tombstone");
        }
    }

    public MasterState state() {
        return state;
    }

    public AgentStatus status() {
        Set<String> deploying = scheduler == null ? Set.of() : scheduler.running();
        return new AgentStatus(agent.masterId(), agent.role(), state, joiningReason,
                agent.puppetServerUrl().orElse(null), agent.lbAddress().orElse(null), deploy.backend(), agentVersion,
                announcement == null ? null : announcement.startedAt(), consuming(), deploying,
                deployer.deployedEnvironments(), postDeploySteps == null ? List.of() : postDeploySteps.names());
    }

    /** Whether this agent follows the plans topic (from start until it stops). */
    public boolean consuming() {
        return reader != null && state != MasterState.LEAVING;
    }

    /**
     * Becomes READY once {@code attempt} (making the disk match the plans) worked; while a control repository cannot
     * be fetched, stays JOINING with the cause and tries again after {@code delay}, doubling up to the maximum.
     */
    private void catchUp(CompletableFuture<Void> attempt, Duration delay) {
        attempt.whenComplete((ok, error) -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof SourcesUnreachable unreachable && state == MasterState.JOINING) {
                joiningReason = unreachable.getMessage();
                LOG.warnf("master %s stays JOINING, trying again in %s: %s", agent.masterId(), delay,
                        joiningReason);
                announce();
                Duration next = delay.multipliedBy(2).compareTo(agent.catchUpRetryMax()) > 0
                        ? agent.catchUpRetryMax() : delay.multipliedBy(2);
                try {
                    retries.schedule(() -> catchUp(follower.reconcile(), next), delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // Shutting down: nothing to retry for.
                }
                return;
            }
            if (error != null) {
                LOG.warnf("catch-up did not finish: %s", error.getMessage());
                return;
            }
            if (state == MasterState.JOINING) {
                joiningReason = null;
                state = MasterState.READY;
                LOG.infof("master %s caught up with its plans: READY", agent.masterId());
                announce();
            }
        });
    }

    private synchronized CompletableFuture<Void> announce() {
        MasterAnnouncement current = announcement.heartbeat(state, Instant.now())
                .withReason(state == MasterState.JOINING ? joiningReason : null);
        return publisher.announce(current).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warnf("cannot announce %s: %s", current.state(), error.getMessage());
            }
        });
    }

    private static void await(CompletableFuture<Void> future, String what) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("%s not confirmed: %s", what, e.getMessage());
        }
    }
}
