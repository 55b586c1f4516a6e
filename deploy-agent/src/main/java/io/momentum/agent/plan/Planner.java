package io.momentum.agent.plan;

import io.momentum.agent.config.AgentConfig;
import io.momentum.agent.deployer.DeployerSettings;
import io.momentum.agent.deployer.NativeDeployer;
import io.momentum.agent.lifecycle.AgentExit;
import io.momentum.agent.lifecycle.ConsumerDeath;
import io.momentum.agent.messaging.RequestConsumer;
import io.momentum.agent.schedule.Targets;
import io.momentum.service.concurrent.DaemonThreads;
import io.momentum.service.events.EventDecoder;
import io.momentum.service.kafka.KafkaClientSettings;
import io.momentum.service.replay.ReplayReaders;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The planner of this agent: rebuilds the {@link PlanBook} by replaying {@code momentum.deploy-plans}, then
 * consumes {@code momentum.deploy-requests} in the group {@code momentum-planner} that every agent shares (each
 * request is planned once, by one agent; an agent that stops hands its partitions to the others) and has
 * {@link PlanScheduler} plan them; an offset is committed once every plan its request caused is stored
 * ({@code acks=all}). A crash plans the uncommitted requests again, which is harmless: a plan's digest names its
 * content. Then, once, the catch-up ({@link PlanScheduler#catchUp}), retried with a growing delay while a control
 * repository cannot be listed; it also plans again the FAILED plans whose retries the previous run of the planner
 * left ({@code momentum.planner.retry}). Resolution uses the native backend's mirrors, sources, credentials and
 * Forge (see {@link NativeDeployer#planResolver}), whatever backend deploys here. If the request consumer dies, the
 * agent exits with status 1, as it does when its own consumer dies.
 */
@ApplicationScoped
public class Planner {

    /** One group for the whole fleet: every request is planned by exactly one agent. */
    public static final String GROUP = "momentum-planner";
    private static final Logger LOG = Logger.getLogger(Planner.class);

    @Inject
    PlannerConfig config;

    @Inject
    AgentConfig agent;

    @Inject
    DeployerSettings settings;

    @Inject
    @Identifier("native")
    Instance<NativeDeployer> nativeDeployer;

    @Inject
    Targets targets;

    @Inject
    PlanPublisher publisher;

    @Inject
    ReplayReaders readers;

    @Inject
    KafkaClientSettings kafka;

    @Inject
    EventDecoder decoder;

    @Inject
    AgentExit exit;

    private final PlanBook book = new PlanBook();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.factory("momentum-plan-catch-up"));
    private PlanScheduler scheduler;
    private RequestConsumer consumer;
    private boolean stopping;

    /** After topic provisioning (default priority), so the topics exist when the readers start. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("planner off (momentum.planner.enabled=false): other agents plan the requests");
            return;
        }
        scheduler = new PlanScheduler(nativeDeployer.get().planResolver(), targets, book, publisher,
                RolloutPolicy.of(config.rollout()), config.maxParallelEnvironments(), config.retry(),
                config.retryMax());
        readers.open("deploy-plans", List.of(Topics.DEPLOY_PLANS), this::apply, () -> { }, this::plansReplayed);
    }

    void onStop(@Observes ShutdownEvent event) {
        RequestConsumer running;
        synchronized (this) {
            stopping = true;
            running = consumer;
        }
        retries.shutdownNow();
        if (running != null) {
            running.stop();
        }
        if (scheduler != null) {
            scheduler.close(agent.shutdownGracePeriod());
        }
        if (running != null) {
            running.close();
        }
    }

    /** False when the request consumer died (the agent is exiting); true when the planner is off. */
    public synchronized boolean consuming() {
        return consumer == null || !consumer.hasFailed();
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null || !key.startsWith(DeployPlan.KEY_PREFIX)) {
            return;
        }
        if (record.value() == null) {
            book.apply(key.substring(DeployPlan.KEY_PREFIX.length()), null);
        } else {
            book.record(decoder.decode(record.value(), DeployPlan.class));
        }
    }

    /** On the replay reader's thread, once: plan only against the complete book. */
    private synchronized void plansReplayed() {
        if (stopping) {
            return;
        }
        LOG.infof("plans of %d environments replayed: planning requests in group %s", book.all().size(), GROUP);
        consumer = RequestConsumer.inGroup(Topics.DEPLOY_REQUESTS, GROUP, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, GROUP + "-" + agent.masterId(),
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, config.groupProtocol()),
                kafka, decoder, scheduler::submit, () -> { }, new ConsumerDeath(exit));
        consumer.start();
        if (config.catchUp()) {
            catchUp(config.catchUpRetry());
        }
    }

    private void catchUp(Duration delay) {
        scheduler.catchUp().whenComplete((ok, error) -> {
            if (error == null) {
                LOG.info("catch-up planned");
                return;
            }
            Duration next = delay.multipliedBy(2).compareTo(config.catchUpRetryMax()) > 0 ? config.catchUpRetryMax()
                    : delay.multipliedBy(2);
            LOG.warnf("catch-up not planned, trying again in %s: %s", delay, error.getMessage());
            try {
                retries.schedule(() -> catchUp(next), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Stopping: nothing to catch up for.
            }
        });
    }
}
