package io.momentum.agent.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.momentum.agent.config.AgentConfig;
import io.momentum.agent.config.DeployConfig;
import io.momentum.agent.deployer.Deployer;
import io.momentum.agent.messaging.EventPublisher;
import io.momentum.agent.messaging.RequestConsumer;
import io.momentum.agent.post.PostDeploySteps;
import io.momentum.agent.schedule.DeployScheduler;
import io.momentum.agent.schedule.SourcesUnreachable;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
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
 * The agent's life: announce JOINING, replay the requests topic, deploy what the control repositories have that is
 * missing or behind, announce READY; heartbeat meanwhile; on graceful shutdown announce LEAVING, let running
 * deploys finish (bounded), commit what finished, and optionally decommission the master with a tombstone.
 *
 * <p>READY means caught up: while a control repository cannot be listed (unreachable, key or token refused, host
 * key unknown) the master stays JOINING, says why in its announcements and in the status API, and lists again
 * with a growing delay; fixing the cause (a key file, known_hosts) is picked up without a restart. An environment
 * that fails for its own reason (a broken Puppetfile) is a FAILED result and does not hold READY back. If the
 * request consumer dies, the agent exits non-zero so that its service manager restarts it.
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
    KafkaClientSettings kafka;

    @Inject
    EventDecoder decoder;

    @Inject
    MeterRegistry registry;

    @Inject
    AgentExit exit;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String agentVersion;

    private volatile MasterState state = MasterState.JOINING;
    /** Why a JOINING master is not READY yet; null when nothing holds it back. */
    private volatile String joiningReason;
    private volatile MasterAnnouncement announcement;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.factory("momentum-catch-up-retry"));
    private DeployScheduler scheduler;
    private RequestConsumer consumer;

    /** After topic provisioning (default priority), so the topics exist when the consumer subscribes. */
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
        consumer = new RequestConsumer(kafka, decoder, masterId, scheduler::submit, this::caughtUpWithRequests,
                new ConsumerDeath(exit));
        consumer.start();
    }

    /** Every heartbeat interval, from start until LEAVING (which is announced once, by {@link #onStop}). */
    @Scheduled(every = "${momentum.agent.heartbeat-interval}", delayed = "${momentum.agent.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (announcement != null && state != MasterState.LEAVING) {
            announce();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (announcement == null) {
            return;
        }
        state = MasterState.LEAVING;
        retries.shutdownNow();
        await(announce(), "LEAVING announcement");
        if (consumer != null) {
            consumer.stop();
        }
        scheduler.close(agent.shutdownGracePeriod());
        if (consumer != null) {
            consumer.close();
        }
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

    /** False when the request consumer died: the agent no longer deploys. */
    public boolean consuming() {
        return consumer != null && !consumer.hasFailed();
    }

    /** Runs on the consumer thread once the requests present at start-up are done: finish joining off it. */
    private void caughtUpWithRequests() {
        catchUp(agent.catchUpRetry());
    }

    /**
     * Lists and deploys what is missing or behind: READY once that worked; while the listing fails, JOINING with
     * the cause, and again after {@code delay}.
     */
    private void catchUp(Duration delay) {
        CompletableFuture<Void> catchUp = agent.catchUpFromBranches() ? scheduler.catchUp()
                : CompletableFuture.completedFuture(null);
        catchUp.whenComplete((ok, error) -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof SourcesUnreachable unreachable && state == MasterState.JOINING) {
                joiningReason = unreachable.getMessage();
                LOG.warnf("master %s stays JOINING, listing again in %s: %s", agent.masterId(), delay,
                        joiningReason);
                announce();
                Duration next = delay.multipliedBy(2).compareTo(agent.catchUpRetryMax()) > 0
                        ? agent.catchUpRetryMax() : delay.multipliedBy(2);
                try {
                    retries.schedule(() -> catchUp(next), delay.toMillis(), TimeUnit.MILLISECONDS);
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
                LOG.infof("master %s caught up: READY", agent.masterId());
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
